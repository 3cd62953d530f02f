"""Notifications beyond the platform (外发通知): SMS, WeCom group robot and e-mail.

When the inbox creates notifications, each recipient's choices of channels per kind
(`preferences`) turn them into deliveries (`Delivery`, the delivery log), which the background
worker sends (`services.deliveries_send_due`, run by `shegong.inbox.tasks.deliver_task`) through
the channel implementations chosen in settings (`channels`), with retries and backoff, a rate
limit per channel and quiet hours. What leaves the platform is a neutral sentence and a link
(`texts`): never a resident's name, ID number or phone number.
docs/decisions/inbox-0001-outbound-channels.md
"""
