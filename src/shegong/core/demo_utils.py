"""Helpers for deterministic demo data (seeded, idempotent)."""

from __future__ import annotations

import random

from stdnum.cn import uscc

UNSCOPED_READS = (
    "Seeds the demo data as the system (make demo): finds the demo's own accounts by name; it "
    "answers no user's request."
)
DEMO_PASSWORD = "Shegong@2026"  # noqa: S105 - printed by `make demo`; demo accounts only
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蔡蒋余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华玉兰萍红建华文斌丹玲辉鹏志强春梅海燕金凤桂芳国庆晓东淑珍德明宝珠"


def rng(seed: str) -> random.Random:
    return random.Random(f"shegong-demo-{seed}")


def chinese_name(r: random.Random) -> str:
    given = r.choice(GIVEN) + (r.choice(GIVEN) if r.random() < 0.7 else "")
    return r.choice(SURNAMES) + given


def mobile(r: random.Random) -> str:
    return r.choice(
        ["138", "139", "135", "136", "137", "150", "151", "158", "186", "188", "189"]
    ) + "".join(r.choice("0123456789") for _ in range(8))


def credit_code(r: random.Random, region_code: str, kind: str = "52") -> str:
    """A valid unified social credit code for a civil-affairs-registered organisation."""
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    body = kind + region_code[:6] + "".join(r.choice("0123456789") for _ in range(8))
    body += r.choice(alphabet)
    return body + uscc.calc_check_digit(body + "0")


def demo_user(username: str):
    """A demo account acting in its first membership, or None where the demo has not made it
    (the loaders act through real memberships, as a signed-in user would)."""
    from shegong.accounts.models import User

    user = User.objects.filter(username=username).first()
    if user is None:
        return None
    user.active_membership = user.memberships.select_related("organisation__region").first()
    return user if user.active_membership is not None else None
