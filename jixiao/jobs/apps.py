from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "jixiao.jobs"
    verbose_name = "后台任务"
