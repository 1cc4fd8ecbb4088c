"""SMPP 3.4 command_status codes (§5.1.3): which errors are worth a retry, which refuse a bind,
and how to name one in a reason an administrator reads."""

from __future__ import annotations

import smpplib.consts

from smscompose.status import Reason

__all__ = [
    "BIND_REFUSALS",
    "ESME_RINVBNDSTS",
    "ESME_ROK",
    "ESME_RX_R_APPN",
    "ESME_RX_T_APPN",
    "TRANSIENT_STATUSES",
    "describe_status",
    "submit_reason",
]

ESME_ROK = 0x00
ESME_RINVBNDSTS = 0x04
ESME_RSYSERR = 0x08
ESME_RBINDFAIL = 0x0D
ESME_RINVPASWD = 0x0E
ESME_RINVSYSID = 0x0F
ESME_RINVDSTADR = 0x0B
ESME_RMSGQFUL = 0x14
ESME_RSUBMITFAIL = 0x45
ESME_RINVSYSTYP = 0x53
ESME_RTHROTTLED = 0x58
ESME_RX_T_APPN = 0x64
#: ESME Receiver Reject Message Error: refused for good, the SMSC does not send it again.
ESME_RX_R_APPN = 0x65
ESME_RUNKNOWNERR = 0xFF

#: submit_sm_resp errors worth a retry: the SMSC did not take the part but may later. Every
#: other error is the SMSC refusing this message (an invalid number, sender or coding).
TRANSIENT_STATUSES = frozenset(
    {
        ESME_RINVBNDSTS,
        ESME_RSYSERR,
        ESME_RMSGQFUL,
        ESME_RSUBMITFAIL,
        ESME_RTHROTTLED,
        ESME_RX_T_APPN,
        ESME_RUNKNOWNERR,
    }
)
#: Bind errors that mean the credentials or system_type are wrong.
BIND_REFUSALS = frozenset({ESME_RBINDFAIL, ESME_RINVPASWD, ESME_RINVSYSID, ESME_RINVSYSTYP})

_STATUS_NAMES = {
    value: name.removeprefix("SMPP_")
    for name, value in vars(smpplib.consts).items()
    if name.startswith("SMPP_ESME_") and isinstance(value, int)
}


def describe_status(status: int) -> str:
    """``ESME_RINVDSTADR (0x0000000B): Invalid Destination Address``."""
    name = _STATUS_NAMES.get(status, "unknown command_status")
    text = smpplib.consts.DESCRIPTIONS.get(status)
    return f"{name} (0x{status:08X})" + (f": {text}" if text else "")


def submit_reason(status: int, *, transient: bool) -> Reason:
    """What the agent reads when the SMSC refused a submit_sm with ``status``."""
    if transient:
        return Reason.NETWORK_ERROR
    if status == ESME_RINVDSTADR:
        return Reason.UNKNOWN_SUBSCRIBER
    return Reason.REJECTED
