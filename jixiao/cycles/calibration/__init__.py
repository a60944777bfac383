"""The calibration wing of cycles (校准, §3): the committee compares each group's grade
distribution with the framework's quotas and moves grades, with a reason, before verifying."""
