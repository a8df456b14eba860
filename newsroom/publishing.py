"""What happens when a review workflow finishes: the approved revision is published.

Kept free of model imports because Wagtail loads it while its own models are loading
(WAGTAIL_FINISH_WORKFLOW_ACTION).
"""


def publish_approved_revision(workflow_state, user=None):
    """Publish the approved revision in the approver's name.

    Approval is the authority to publish here: the workflow's tasks have already checked that this
    person may approve, so a responsible editor without Wagtail's publish permission still publishes
    what they approved, and nobody else can. The review gate still has the last word: a workflow that
    is no longer the one the article's channel runs (its channel's workflow was changed during the
    review) cannot publish it, and the review starts again under the channel's workflow instead.
    """
    from .review_gate import is_article, publication_refusal, restart_review

    page = workflow_state.content_object
    revision = page.get_latest_revision()
    if is_article(page) and publication_refusal(page, revision):
        restart_review(page.specific, workflow_state, f"“{workflow_state.workflow.name}”已不是该栏目的审核流程")
        return
    revision.publish(user=user, skip_permission_checks=True)
