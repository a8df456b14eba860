"""The newsroom's roles: the names of the Django groups that `setup_newsroom` creates."""

REPORTERS = "记者"
EDITORS = "责任编辑"
CHIEF_EDITORS = "总编辑"
