"""The Twilio gateway: Programmable Messaging's REST API out, signed webhooks in.

- :mod:`.gateway`: :class:`~.gateway.TwilioGateway`, the gateway port;
- :mod:`.webhooks`: Twilio's request signature, and StatusCallback forms as receipts;
- :mod:`.urls`: the URLs the relay gives Twilio (StatusCallback, incoming messages);
- :mod:`.routes`: the relay's routes Twilio calls.

Nothing is imported here: each module is imported where it is needed.
"""
