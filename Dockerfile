# Interview Coach: runs `interview-bot run`. Settings come from the environment (see README).
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN useradd --create-home --uid 10001 coach
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY questions ./questions
# bot/questions is a link to ../questions in the source tree; make it a real folder here.
RUN rm -f bot/questions && cp -r questions bot/questions && pip install . && rm -rf /app/bot /app/questions

USER coach
WORKDIR /home/coach
VOLUME ["/home/coach/data"]
CMD ["interview-bot", "run"]
