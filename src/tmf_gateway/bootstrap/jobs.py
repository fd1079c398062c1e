"""The event dispatcher and the background jobs that keep legacy systems and customers in
step: customer directory, ticket desk, order notices, the data-quality audit."""

from __future__ import annotations

from ..api.registry import API_TABLE
from ..built import ResourceServices
from ..config import Settings
from ..events.dispatcher import Dispatcher, HubRoute
from ..events.setup import build_dispatcher
from ..inventory.scheduled import QualityAudits
from ..ports import Store
from ..services import directory, notices, ticket_desk
from ..southbound import Adapter
from ..worker import BackgroundRunner


def hub_routes(resources: ResourceServices) -> dict[str, HubRoute]:
    """Each resource kind's events go to its own API's hub subscriptions only."""
    routes = {}
    for api in API_TABLE:
        event_filter = api.hub_service(resources).event_filter
        for collection in api.collections:
            routes[collection.resource.kind] = HubRoute(api.hub.kind, api.name, event_filter)
    return routes


def wire_dispatcher(
    settings: Settings, store: Store, resources: ResourceServices, runner: BackgroundRunner
) -> Dispatcher:
    dispatcher = build_dispatcher(settings, store, hub_routes(resources))
    runner.every(settings.dispatch_interval, "events", dispatcher.pump)
    return dispatcher


def wire_customer_directory(
    store: Store, southbound: Adapter, runner: BackgroundRunner
) -> directory.CustomerDirectorySync | None:
    """The push job, when a southbound adapter offers a customer directory."""
    if southbound.customer_directory is None:
        return None
    sync = directory.CustomerDirectorySync(store, southbound.customer_directory)
    runner.every(directory.INTERVAL, "customer-directory", sync.run)
    return sync


def wire_ticket_desk(
    store: Store, resources: ResourceServices, southbound: Adapter, runner: BackgroundRunner
) -> ticket_desk.TicketDeskSync | None:
    """The forwarding/polling job, when the southbound adapter has a ticket desk."""
    if southbound.ticket_desk is None:
        return None
    sync = ticket_desk.TicketDeskSync(store, resources.trouble_ticket, southbound.ticket_desk)
    runner.every(ticket_desk.INTERVAL, "ticket-desk", sync.run)
    return sync


def wire_quality_audits(
    settings: Settings, store: Store, runner: BackgroundRunner
) -> QualityAudits:
    audits = QualityAudits(store)
    if settings.audit_interval_seconds > 0:
        runner.every(settings.audit_interval_seconds, "quality-audit", audits.run)
    return audits


def wire_order_notices(
    settings: Settings, store: Store, runner: BackgroundRunner
) -> notices.OrderNotices | None:
    """With `smtp_host` set, the SMTP notifier and the `order-notices` job."""
    if not settings.smtp_host:
        return None
    from ..notify.smtp import SmtpNotifier

    notifier = SmtpNotifier(settings.smtp_host, settings.smtp_port, settings.notice_sender)
    order_notices = notices.OrderNotices(store, notifier)
    order_notices.start_at_the_end()
    runner.every(notices.INTERVAL, "order-notices", order_notices.run)
    return order_notices
