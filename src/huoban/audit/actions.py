"""The catalogue of audit actions (issue #11): every event the services write is named here,
with what it records. :func:`huoban.audit.services.record` refuses an action not listed, so a
typo cannot write an event nobody will ever search for; a test checks the source against it."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    # accounts
    USER_CREATE = "user.create", _("创建用户")
    USER_INVITE_LINK = "user.invite_link", _("签发邀请链接")
    USER_RESET_LINK = "user.reset_link", _("签发重置密码链接")
    USER_PASSWORD_SET = "user.password_set", _("凭链接设置密码")
    USER_PASSWORD_CHANGE = "user.password_change", _("修改密码")
    USER_ROLE_CHANGE = "user.role_change", _("修改角色")
    USER_PASSWORD_RESET = "user.password_reset", _("管理员重置密码")
    USER_PARTNER_ADMIN = "user.partner_admin", _("指定伙伴管理员")
    SESSION_END = "session.end", _("结束登录会话")
    USER_DISABLE = "user.disable", _("停用用户")
    USER_ENABLE = "user.enable", _("启用用户")
    TOKEN_ISSUE = "token.issue", _("签发 API 令牌")
    TOKEN_REVOKE = "token.revoke", _("吊销 API 令牌")
    LOGIN_LOCKOUT = "login.lockout", _("登录锁定")
    LOGIN_UNLOCK = "login.unlock", _("解除登录锁定")
    # notifications (SPEC §13)
    WEBHOOK_REGISTER = "webhook.register", _("登记 Webhook")
    WEBHOOK_RESEND = "webhook.resend", _("重发 Webhook 投递")
    ROBOT_REGISTER = "robot.register", _("登记群机器人")
    ROBOT_SWITCH = "robot.switch", _("启用或停用群机器人")
    NOTIFICATION_PREFERENCES = "notification.preferences", _("修改通知设置")
    NOTIFICATION_TEST = "notification.test", _("发送测试通知")
    # reference data (R-CAL-2)
    HOLIDAY_SET = "holiday.set", _("设定节假日")
    HOLIDAY_DELETE = "holiday.delete", _("删除节假日")
    HOLIDAY_IMPORT = "holiday.import", _("导入节假日表")
    POLICY_CREATE = "policy.create", _("新建佣金政策版本")
    POLICY_UPDATE = "policy.update", _("修改未使用的政策版本")
    # partners and standing
    PARTNER_REGISTER = "partner.register", _("登记伙伴")
    PARTNER_INQUIRY_SUBMIT = "partner.inquiry.submit", _("提交合作申请")
    PARTNER_INQUIRY_CONTACT = "partner.inquiry.contact", _("联系申请人")
    PARTNER_INQUIRY_DECLINE = "partner.inquiry.decline", _("谢绝合作申请")
    PARTNER_INQUIRY_CONVERT = "partner.inquiry.convert", _("申请转为伙伴")
    PARTNER_UPDATE = "partner.update", _("修改伙伴资料")
    PARTNER_SET_REFERRER = "partner.set_referrer", _("设定引荐人")
    PARTNER_TIER_PROMOTE = "partner.tier.promote", _("梯度晋升")
    PARTNER_TIER_APPLY = "partner.tier.apply", _("申请战略伙伴")
    PARTNER_TIER_DECIDE = "partner.tier.decide", _("战略申请决定")
    PARTNER_TIER_RETENTION = "partner.tier.retention", _("保级评估")
    PARTNER_TIER_RETENTION_CYCLE = "partner.tier.retention_cycle", _("保级周期")
    PARTNER_TIER_INACTIVITY_NOTICE = "partner.tier.inactivity_notice", _("不活跃提醒")
    PARTNER_TIER_INACTIVITY = "partner.tier.inactivity", _("不活跃降为轻协同")
    PARTNER_VIOLATION = "partner.violation", _("伙伴违规")
    PARTNER_WHITE_LABEL = "partner.white_label", _("贴牌授权")
    PARTNER_WHITE_LABEL_REVOKE = "partner.white_label_revoke", _("撤销贴牌授权")
    PARTNER_EXIT = "partner.exit", _("伙伴退出")
    COMPANY_VIOLATION_REPORT = "company_violation.report", _("报告公司违约")
    COMPANY_VIOLATION_DECIDE = "company_violation.decide", _("公司违约决定")
    # customers
    CUSTOMER_ADD_ALIAS = "customer.add_alias", _("添加客户名称")
    CUSTOMER_LINK = "customer.link", _("关联主体")
    ATTRIBUTION_TRANSFER = "attribution.transfer", _("转移归属")
    INBOUND_RECORD = "inbound.record", _("登记主动来访")
    CONSENT_GRANT = "consent.grant", _("授权查看联系人")
    CONSENT_APPROVE = "consent.approve", _("批准授权")
    CONSENT_REVOKE = "consent.revoke", _("撤销授权")
    CONTACT_REVEAL = "contact.reveal", _("查看完整联系方式")
    # leads
    LEAD_SUBMIT = "lead.submit", _("报备线索")
    LEAD_VERDICT = "lead.verdict", _("线索评估")
    LEAD_RESOLVE_MATCH = "lead.resolve_match", _("确认疑似匹配")
    LEAD_APPEAL = "lead.appeal", _("线索申诉")
    LEAD_SECOND_REVIEW_SIGN = "lead.second_review.sign", _("复核签字")
    # projects
    PROJECT_CREATE = "project.create", _("签约项目")
    PROJECT_AMEND = "project.amend", _("更正合同额")
    PROJECT_MILESTONE = "project.milestone", _("更新里程碑")
    PROJECT_PAYMENT = "project.payment", _("登记回款")
    PROJECT_REFUND = "project.refund", _("登记退款")
    PROJECT_ACCEPT = "project.accept", _("项目验收")
    PROJECT_CANCEL = "project.cancel", _("取消项目")
    # ledger
    LEDGER_APPROVE = "ledger.approve", _("审批台账条目")
    LEDGER_ADJUST = "ledger.adjust", _("调整台账")
    LEDGER_PAYOUT = "ledger.payout", _("付款")
    LEDGER_ANNUAL_BONUS = "ledger.annual_bonus", _("年度奖励")
    LEDGER_LIQUIDATED_DAMAGES = "ledger.liquidated_damages", _("违约金")
    LEDGER_REBUILD = "ledger.rebuild", _("重建台账")
    # operations
    BACKUP_CREATE = "backup.create", _("备份")
    BACKUP_RESTORE = "backup.restore", _("恢复")
