"""The catalog's words for scheduled sends and quiet hours: moments, the verdict shown before
Send, the statuses ``scheduled`` and ``cancelled`` and the list of scheduled messages. Part of
:data:`smscompose.messages.CATALOG` (kept apart only for its length)."""

from __future__ import annotations

from collections.abc import Mapping

_WEEKDAYS = {
    "de": ("Mo.", "Di.", "Mi.", "Do.", "Fr.", "Sa.", "So."),
    "en": ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
}
_ON_WEEKDAYS = {
    "de": ("montags", "dienstags", "mittwochs", "donnerstags", "freitags", "samstags", "sonntags"),
    "en": ("Mondays", "Tuesdays", "Wednesdays", "Thursdays", "Fridays", "Saturdays", "Sundays"),
}
_MONTHS = {
    "de": (
        "Jan.", "Feb.", "März", "Apr.", "Mai", "Juni",
        "Juli", "Aug.", "Sept.", "Okt.", "Nov.", "Dez.",
    ),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}  # fmt: skip
_DAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

SCHEDULE_CATALOG: Mapping[str, Mapping[str, str]] = {
    **{f"weekday.{i}": {lang: names[i] for lang, names in _WEEKDAYS.items()} for i in range(7)},
    **{
        f"quiet.on_{_DAY_KEYS[i]}": {lang: names[i] for lang, names in _ON_WEEKDAYS.items()}
        for i in range(7)
    },
    **{f"month.{i + 1}": {lang: names[i] for lang, names in _MONTHS.items()} for i in range(12)},
    # A moment, in one zone or across the zones of a number that does not tell which
    "moment": {"de": "{weekday}, {day}. {month}, {time}", "en": "{weekday} {day} {month}, {time}"},
    "moment.in_zone": {"de": "{moment} ({zone})", "en": "{moment} ({zone})"},
    "moment.utc": {"de": "{moment} UTC", "en": "{moment} UTC"},
    "moment.in_zones": {
        "de": "{moment} (in allen {count} Zeitzonen der Nummer)",
        "en": "{moment} (in all {count} time zones of the number)",
    },
    "moment.across_zones": {
        "de": "{first} bis {last} ({count} Zeitzonen der Nummer)",
        "en": "{first} to {last} ({count} time zones of the number)",
    },
    # Quiet hours, as the agent reads them
    "quiet.window": {"de": "{start}–{end} Uhr", "en": "{start}–{end}"},
    "quiet.days": {"de": "{days}", "en": "on {days}"},
    "quiet.window_and_days": {"de": "{window} und {days}", "en": "{window} and on {days}"},
    # The verdict above Send
    "schedule.now": {
        "de": "Außerhalb der Ruhezeiten des Kunden ({quiet}): Die SMS geht sofort hinaus.",
        "en": "Outside the customer's quiet hours ({quiet}): the SMS goes out at once.",
    },
    "schedule.scheduled": {
        "de": "Geplant: Die SMS geht am {moment} hinaus (Ihre Zeit).",
        "en": "Scheduled: the SMS goes out on {moment} (your time).",
    },
    "schedule.held": {
        "de": "Ruhezeit beim Kunden ({quiet}): Die SMS wird zurückgehalten "
        "und geht am {moment} hinaus (Ihre Zeit).",
        "en": "Quiet hours at the customer's ({quiet}): the SMS is held "
        "and goes out on {moment} (your time).",
    },
    "schedule.your_time": {"de": "Ihre Zeit: {moment}", "en": "Your time: {moment}"},
    "schedule.customer_time": {
        "de": "Ortszeit des Kunden: {moment}",
        "en": "Customer's local time: {moment}",
    },
    "schedule.pending": {
        "de": "Die Ortszeit des Kunden wird ermittelt …",
        "en": "Working out the customer's local time …",
    },
    "schedule.zone_data_failed": {
        "de": "Die Ortszeit des Kunden kann nicht ermittelt werden (die Zeitzonendaten wurden "
        "nicht geladen). Bitte versuchen Sie es erneut.",
        "en": "The customer's local time cannot be worked out (the time-zone data did not "
        "load). Please try again.",
    },
    "schedule.invalid": {
        "de": "Der Sendezeitpunkt ist ungültig: Bitte Datum und Uhrzeit mit Zeitzone angeben, "
        "z. B. 2026-05-04T09:30+02:00.",
        "en": "The time to send is not valid: please give a date and time with its time zone, "
        "e.g. 2026-05-04T09:30+02:00.",
    },
    "schedule.in_past": {
        "de": "Der Sendezeitpunkt liegt in der Vergangenheit.",
        "en": "The time to send is in the past.",
    },
    "schedule.too_far": {
        "de": "Eine SMS kann höchstens {days} Tage im Voraus geplant werden.",
        "en": "An SMS can be scheduled at most {days} days ahead.",
    },
    "quiet_hours.refused": {
        "de": "Ruhezeit beim Kunden ({quiet}): Ihr Unternehmen sendet dann keine SMS. "
        "Frühestens möglich: {earliest}.",
        "en": "Quiet hours at the customer's ({quiet}): your company sends no SMS then. "
        "The earliest possible: {earliest}.",
    },
    "quiet_hours.no_window": {
        "de": "Die Nummer liegt in mehreren Zeitzonen, in denen zusammen immer Ruhezeit "
        "({quiet}) ist: Die SMS kann nicht gesendet werden.",
        "en": "The number spans several time zones that are, together, always in quiet hours "
        "({quiet}): the SMS cannot be sent.",
    },
    # Statuses of a scheduled message, and the list of them
    "status.scheduled": {"de": "geplant", "en": "scheduled"},
    "status.cancelled": {"de": "storniert", "en": "cancelled"},
    "status.line_at": {
        "de": "SMS an {to}: {status} für {moment}",
        "en": "SMS to {to}: {status} for {moment}",
    },
    "scheduled.heading": {"de": "Geplante SMS", "en": "Scheduled SMS"},
    "scheduled.item": {"de": "An {to} – {moment}: {text}", "en": "To {to} – {moment}: {text}"},
    "scheduled.held": {
        "de": "zurückgehalten wegen Ruhezeit",
        "en": "held for the quiet hours",
    },
    "scheduled.cancel": {"de": "Stornieren", "en": "Cancel"},
    "scheduled.cancel_label": {
        "de": "Geplante SMS an {to} für {moment} stornieren",
        "en": "Cancel the SMS scheduled to {to} for {moment}",
    },
    "scheduled.empty": {"de": "Keine geplanten SMS.", "en": "No scheduled SMS."},
}
