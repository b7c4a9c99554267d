"""System checks: every model that belongs to an organisation — directly or through a foreign-key chain —
must be scoped (a ``ScopedQuerySet`` manager) or be listed in ``scoping.EXEMPT_MODELS`` with a reason."""

from django.core import checks

from wenming.organizations.scoping import ScopedQuerySet, org_chain_models, org_owned_models


@checks.register()
def scoped_models_check(app_configs=None, **kwargs):
    errors = []
    for model in [*org_owned_models(), *org_chain_models()]:
        qs = model._default_manager.get_queryset()
        if not isinstance(qs, ScopedQuerySet):
            errors.append(
                checks.Error(
                    f"{model._meta.label} 关联组织机构但未使用 ScopedQuerySet",
                    obj=model,
                    id="wenming.E001",
                )
            )
    return errors
