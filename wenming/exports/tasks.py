"""Background work for generated files."""

from wenming.core.tasks import task


@task()
def build_generated_file(gf_id: int) -> None:
    # deferred: services.py enqueues this task and imports this module
    from .services import generated_file_build

    generated_file_build(gf_id)
