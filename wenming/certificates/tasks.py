"""Background work of the certificates app."""

from wenming.core.tasks import task

from .services import batch_run


@task()
def run_batch(batch_id: int) -> int:
    """Issue a batch's certificates one by one, counting progress on the batch row."""
    return batch_run(batch_id).done
