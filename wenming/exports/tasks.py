"""Background work for generated files."""

from wenming.core.tasks import task


@task()
def build_generated_file(gf_id: int) -> None:
    from .services import generated_file_build

    generated_file_build(gf_id)
