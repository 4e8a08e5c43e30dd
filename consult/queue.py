"""Sending tasks after commit, without failing the write when the broker is down.

A task sent from a service acts on state the service just committed (a
notification not yet delivered, a pack request not yet built, a silence
deadline). When Redis is out of reach the send is logged as a warning and the
request answers as usual; the state stays in the database and the periodic
sweeps send the work once Redis answers (see each caller).
"""

import logging
from collections.abc import Callable

from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# Celery's result store gives up subscribing to a new task's result this way.
_RESULT_STORE_GAVE_UP = "Retry limit exceeded while trying to reconnect"


def send_on_commit(send: Callable[[], object], *, what: str) -> None:
    """Call ``send`` (a task's ``delay``/``apply_async``) once the transaction commits."""

    def send_or_log() -> None:
        try:
            send()
        except (BrokerError, RedisError) as error:
            logger.warning("%s not sent, the broker is unreachable: %s", what, error)
        except RuntimeError as error:
            if _RESULT_STORE_GAVE_UP not in str(error):
                raise
            logger.warning("%s not sent, the result store is unreachable", what)

    transaction.on_commit(send_or_log)
