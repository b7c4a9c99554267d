from django.apps import AppConfig


class WorkflowConfig(AppConfig):
    name = "wenming.workflow"
    label = "workflow"
    verbose_name = "流程与授权"
