"""The service certificate (志愿服务证明) as a PDF in Chinese."""

from __future__ import annotations

from django.urls import reverse

from shegong.core.figures import Kind, format_figure
from shegong.core.pdf import build_pdf
from shegong.volunteers.models import Certificate


def hours_text(cert: Certificate) -> str:
    return f"{format_figure(cert.hours, Kind.HOURS)} 小时"


def certificate_pdf(cert: Certificate, *, verify_url: str = "") -> bytes:
    v = cert.volunteer
    rows = [
        ["姓名", v.name],
        ["证件类型", "居民身份证"],
        ["证件号码", v.id_number_masked],
        ["志愿者编号", v.number],
        ["服务时间段", f"{cert.period_start:%Y年%m月%d日} 至 {cert.period_end:%Y年%m月%d日}"],
        ["服务时长", f"累计志愿服务时长 {hours_text(cert)}（共 {cert.record_count} 条服务记录）"],
        ["服务内容", cert.content],
        ["出具组织", cert.organisation.name],
        ["负责人", cert.person_in_charge],
        ["经办人", cert.handler],
        ["联系方式", cert.contact],
        ["证明编号", cert.number],
        ["出具日期", f"{cert.issued_on:%Y年%m月%d日}"],
    ]
    verify = verify_url or reverse("portal:verify")
    return build_pdf(
        title="志愿服务证明",
        author=cert.organisation.name,
        blocks=[
            f"兹证明 {v.name}（志愿者编号 {v.number}）于 {cert.period_start:%Y年%m月%d日} 至 "
            f"{cert.period_end:%Y年%m月%d日} 期间参加由本组织记录的志愿服务，"
            f"累计服务时长 {hours_text(cert)}。",
            ("table", rows, [90, 380]),
            "本证明依据《志愿服务记录与证明出具办法》出具，服务时长为实际提供志愿服务的时间，"
            "不含往返交通时间。",
            f"真伪查验：在公共服务门户「证明查验」页（{verify}）输入证明编号 {cert.number}。",
        ],
    )
