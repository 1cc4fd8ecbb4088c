"""The SMS gateways. ``base.py`` is the port every adapter implements, ``options.py`` what a
gateway type brings besides (its checked options, which build the adapter) and
``registry.py`` the types a configuration may name; ``udh.py`` is the user data header the
relay's own parts carry. Each type keeps its parts together: ``sandbox.py``, and the packages
``kannel/``, ``smpp/`` and ``twilio/`` (options, adapter, the URLs the relay gives the gateway
and the routes it calls)."""
