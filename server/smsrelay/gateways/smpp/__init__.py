"""The SMPP 3.4 gateway: one transceiver bind to an SMSC.

- :mod:`.pdu`: what the SMSC is sent for each part (the submit_sm fields);
- :mod:`.status`: command_status codes, which of them are worth a retry, which refuse a bind;
- :mod:`.connection` and :mod:`.session`: the thread that owns the connection — bind,
  enquire_link, reconnect — and the writes other threads make on it;
- :mod:`.receipts`: deliver_sm receipts as :class:`~smsrelay.gateways.base.DeliveryReceipt`;
- :mod:`.gateway`: :class:`~.gateway.SmppGateway`, the gateway port on top.

Nothing is imported here: the adapter comes from :mod:`.gateway`, so a relay without SMPP
gateways never imports the SMPP client library.
"""
