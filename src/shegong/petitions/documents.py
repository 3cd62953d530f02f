"""Printable documents in Chinese: the people's mediation agreement and the reply letter."""

from __future__ import annotations

from shegong.core.pdf import build_pdf
from shegong.petitions.models import Matter, MediationAgreement


def _yes(flag: bool) -> str:
    return "已签名" if flag else "未签名"


def agreement_pdf(agreement: MediationAgreement) -> bytes:
    mediation = agreement.mediation
    matter = mediation.matter
    blocks = [
        f"编号：{matter.number}　　调解组织：{mediation.committee.name}",
        ("table", [["当事人", agreement.parties]]),
        (
            "table",
            [
                ["纠纷事实", agreement.facts],
                ["争议事项", agreement.disputed_points],
                ["各方责任", agreement.responsibilities or "—"],
            ],
        ),
        "经人民调解委员会调解，当事人自愿达成如下协议："
        + ("（口头协议，内容记录在案）" if agreement.form == "oral" else ""),
        agreement.content or agreement.terms,
        (
            "table",
            [
                ["履行方式", agreement.performance_manner],
                [
                    "履行期限",
                    f"{agreement.performance_deadline:%Y年%m月%d日}前"
                    if agreement.performance_deadline
                    else "—",
                ],
            ],
        ),
        "本协议自各方当事人签名、人民调解员签名并加盖人民调解委员会印章之日起生效。"
        "当事人可以自本协议生效之日起三十日内共同向人民法院申请司法确认"
        f"（截至 {agreement.confirmation_deadline:%Y年%m月%d日}"
        + ("，暂定，以当年节假日安排为准" if agreement.confirmation_deadline_provisional else "")
        + "）。",
        (
            "table",
            [
                ["当事人签名", _yes(agreement.parties_signed)],
                ["人民调解员", f"{mediation.mediators}（{_yes(agreement.mediator_signed)}）"],
                [
                    "人民调解委员会",
                    f"{mediation.committee.name}（{'已盖章' if agreement.sealed else '未盖章'}）",
                ],
                ["签订日期", f"{agreement.signed_on:%Y年%m月%d日}"],
            ],
        ),
    ]
    return build_pdf(title="人民调解协议书", blocks=blocks, author=mediation.committee.name)


def reply_pdf(matter: Matter) -> bytes:
    names = "、".join(p.name for p in matter.petitioners.all() if p.name) or "信访人"
    org = matter.handling_org.name if matter.handling_org else ""
    blocks = [
        f"编号：{matter.number}",
        f"{names}：",
        f"您（们）于 {matter.received_on:%Y年%m月%d日} 反映的“{matter.title}”一事，经调查核实，"
        f"现出具处理意见如下（{matter.get_reply_kind_display()}）：",
        matter.reply_text,
        "如对本处理意见不服，可以自收到本意见书之日起三十日内请求原办理机关的上一级机关复查。",
        f"{org}　{matter.replied_on:%Y年%m月%d日}" if matter.replied_on else org,
    ]
    return build_pdf(title="信访事项处理意见书", blocks=blocks, author=org)


def route_out_pdf(matter: Matter) -> bytes:
    """The written notice (告知书) for a matter that goes to its statutory procedure (信访工作条例
    第三十一条: litigation, arbitration, administrative reconsideration …)."""
    names = "、".join(p.name for p in matter.petitioners.all() if p.name) or "信访人"
    issuer = matter.handling_org or matter.registering_org
    org = issuer.name if issuer else ""
    blocks = [
        f"编号：{matter.number}",
        f"{names}：",
        f"您（们）于 {matter.received_on:%Y年%m月%d日} 反映的“{matter.title}”一事，属于依法应当通过"
        "诉讼、仲裁、行政复议等法定途径解决的事项。根据《信访工作条例》第三十一条，"
        "本机关不作为信访事项办理，现书面告知如下：",
        matter.routed_out_notice,
        "特此告知。",
        f"{org}　{matter.closed_on:%Y年%m月%d日}" if matter.closed_on else org,
    ]
    return build_pdf(title="信访事项告知书", blocks=blocks, author=org)
