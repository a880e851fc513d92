"""Telegram's limits and the bank limits derived from them: defined once, used everywhere."""

from typing import Final

# Bot API limits (https://core.telegram.org/bots/api#sendpoll, #sendmessage, #inlinekeyboardbutton).
POLL_QUESTION_MAX: Final = 300
POLL_OPTION_MAX: Final = 100
POLL_EXPLANATION_MAX: Final = 200
POLL_OPTIONS_MIN: Final = 2
POLL_OPTIONS_MAX: Final = 12
MESSAGE_MAX: Final = 4096
CALLBACK_DATA_MAX_BYTES: Final = 64
# Poll options are shown with their letter, "A. ", like the verdicts that name them.
POLL_OPTION_LABEL_CHARS: Final = 3

# Bank limits: a question that does not fit a poll is sent as a message with buttons, so
# these are looser than the poll limits but keep every rendered question under MESSAGE_MAX.
QUESTION_MAX: Final = 1000
CODE_MAX: Final = 1500
OPTION_MAX: Final = 200
EXPLANATION_MAX: Final = 600
MODEL_ANSWER_MAX: Final = 1500
ID_MAX: Final = 40
AREA_MAX: Final = 24
TITLE_MAX: Final = 60
# Headroom for the verdict, markers, reference link and markup around the bank's text.
RENDER_OVERHEAD: Final = 400
