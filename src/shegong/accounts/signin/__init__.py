"""Sign-in and sessions (GB/T 22239-2019 level 3, identity and access).

- `lockout`: failed sign-ins per account name and per client address, lockout and unlock.
- `passwords`: the password rules (Django validators), the history, changing a password.
- `second_factor`: who must use two-factor sign-in, enrolment, verification, recovery codes.
- `sessions`: idle and absolute session lifetime, the completed sign-in, "上次登录".
- `middleware`: the per-request policy (session expiry, the 2FA gate, password expiry).

Each module keeps its writes (services: keyword-only, atomic, audited) and reads (selectors)
apart; see docs/decisions/0006-sign-in-and-sessions.md.
"""
