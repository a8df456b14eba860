"""What happens when a review workflow finishes: the approved revision is published.

Kept free of model imports because Wagtail loads it while its own models are loading
(WAGTAIL_FINISH_WORKFLOW_ACTION).
"""


def publish_approved_revision(workflow_state, user=None):
    """Publish the approved revision in the approver's name.

    Approval is the authority to publish here: the workflow's tasks have already checked that this
    person may approve, so a responsible editor without Wagtail's publish permission still publishes
    what they approved, and nobody else can.
    """
    revision = workflow_state.content_object.get_latest_revision()
    revision.publish(user=user, skip_permission_checks=True)
