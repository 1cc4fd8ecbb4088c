"""The Kannel gateway: one smsbox ``sendsms`` request per part, receipts through ``dlr-url``,
customers' replies through an sms-service ``get-url``.

- :mod:`.gateway`: :class:`~.gateway.KannelGateway`, the gateway port;
- :mod:`.dlr`: the signed dlr-url callback turned into a receipt;
- :mod:`.urls`: the URLs the relay gives Kannel (dlr-url, sms-service);
- :mod:`.routes`: the relay's routes Kannel calls.

Nothing is imported here: each module is imported where it is needed.
"""
