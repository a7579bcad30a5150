"""What the project events tell the partner (R-NOTE-1), in Chinese and English.

One function per event, called by the service that does the action, inside its transaction.
The project's partner's users hear of their own projects: signed, each payment or refund of the
customer, acceptance. The commission those events earn is in the ledger, which the message
points to; its amounts are not repeated here.
"""

from __future__ import annotations

from huoban.accounts.models import User
from huoban.explain import yuan
from huoban.notifications.services import Message, notify, partner_users, portal_link

from .models import PaymentKind, Project


def _name(project: Project) -> str:
    return f"{project.customer.legal_name}「{project.title}」"


def signed(project: Project, *, actor: User) -> None:
    """project.signed → the partner's users."""
    message = Message(
        "project.signed",
        f"项目已签约：{_name(project)}",
        f"Project signed: {_name(project)}",
        f"合同金额 ¥{yuan(project.contract_amount)}，签约日 {project.signed_on.isoformat()}。",
        f"Contract amount ¥{yuan(project.contract_amount)}, signed on "
        f"{project.signed_on.isoformat()}.",
        portal_link("project", project_id=project.pk),
        data={"project_id": project.pk, "partner_code": project.partner.code},
    )
    notify(message, partner_users(project.partner_id), actor=actor)


def payment_recorded(
    project: Project, kind: str, amount: str, received_on: str, entries: int, *, actor: User
) -> None:
    """payment.recorded → the partner's users: the customer paid (or was refunded)."""
    refund = kind == PaymentKind.REFUND
    earned = "佣金已按合同规则计入台账。" if entries else ""
    earned_en = " Commission was booked in the ledger by the contract's rules." if entries else ""
    message = Message(
        "payment.recorded",
        f"{'客户退款' if refund else '客户回款'} ¥{amount}：{_name(project)}",
        f"{'Refund' if refund else 'Customer payment'} ¥{amount}: {_name(project)}",
        f"到账日 {received_on}。{earned}",
        f"Received on {received_on}.{earned_en}",
        portal_link("project", project_id=project.pk),
        data={"project_id": project.pk, "partner_code": project.partner.code},
    )
    notify(message, partner_users(project.partner_id), actor=actor)


def accepted(project: Project, entries: int, *, actor: User) -> None:
    """project.accepted → the partner's users."""
    assert project.accepted_on is not None
    earned = "验收后佣金已计入台账。" if entries else ""
    earned_en = " The commission due after acceptance was booked." if entries else ""
    message = Message(
        "project.accepted",
        f"项目已验收：{_name(project)}",
        f"Project accepted: {_name(project)}",
        f"验收日 {project.accepted_on.isoformat()}。{earned}",
        f"Accepted on {project.accepted_on.isoformat()}.{earned_en}",
        portal_link("project", project_id=project.pk),
        data={"project_id": project.pk, "partner_code": project.partner.code},
    )
    notify(message, partner_users(project.partner_id), actor=actor)


def milestone(project: Project, stage_label: tuple[str, str], status_label: tuple[str, str],
              *, actor: User) -> None:  # fmt: skip
    """project.milestone → the partner's users: a stage of the progress board moved (R-PROJ-3);
    only a change of status or of the actual date is worth telling, not a planned date or a
    note."""
    (stage, stage_en), (status, status_en) = stage_label, status_label
    message = Message(
        "project.milestone",
        f"项目进度：{_name(project)} {stage} {status}",
        f"Project progress: {_name(project)} {stage_en} {status_en}",
        "",
        "",
        portal_link("project_milestones", project_id=project.pk),
        data={"project_id": project.pk, "partner_code": project.partner.code},
    )
    notify(message, partner_users(project.partner_id), actor=actor)
