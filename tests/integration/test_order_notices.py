"""Order notices reach the customer by email: a real SMTP server (aiosmtpd) on a free loopback
port receives the acknowledgement, jeopardy and completion notices; an outage loses none."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from email import message_from_bytes

import pytest
from aiosmtpd.controller import Controller

from tmf_gateway.testing.gateway import create_customer, free_port, gateway_app

ORDERS = "/tmf-api/productOrderingManagement/v4/productOrder"


class Inbox:
    """aiosmtpd handler: keeps (recipient, subject, body) of every message it accepts."""

    def __init__(self) -> None:
        self.mail: list[tuple[str, str, str]] = []

    async def handle_DATA(self, server, session, envelope):  # aiosmtpd calls it by this name
        message = message_from_bytes(envelope.content)
        for to in envelope.rcpt_tos:
            self.mail.append((to, message["Subject"], message.get_payload(decode=True).decode()))
        return "250 OK"


class MailServer:
    """An SMTP server on one port that can be stopped and started again (a fresh aiosmtpd
    controller each time: one cannot be restarted)."""

    def __init__(self, inbox: Inbox) -> None:
        self.inbox, self.port, self.controller = inbox, free_port(), None

    def start(self) -> None:
        self.controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


@pytest.fixture
def smtp():
    inbox = Inbox()
    server = MailServer(inbox)
    server.start()
    yield server, inbox
    server.stop()


@pytest.fixture
def app(tmp_path, smtp):
    controller, _ = smtp
    with gateway_app(database_url=f"sqlite:///{tmp_path / 'gw.db'}",
                     southbound_options={"fulfilment": {"delay": 0}},
                     smtp_host="127.0.0.1", smtp_port=controller.port,
                     notice_sender="orders@operator.example") as application:
        yield application


def jobs(app):
    return app.gateway.services.ordering.processor, app.gateway.services.order_notices


def order(http, customer_id, offering="fibre-1g", **extra):
    response = http.post(ORDERS, json={
        "productOrderItem": [{"id": "1", "action": "add", "productOffering": {"id": offering}}],
        "relatedParty": [{"id": customer_id, "@referredType": "Customer"}], **extra})
    assert response.status_code == 201, response.text
    return response.json()


def test_the_customer_hears_of_acknowledgement_and_completion_at_their_preferred_email(
    app, smtp
):
    _, inbox = smtp
    with app.test_client() as http:
        customer = create_customer(http, "Ada", contactMedium=[
            {"mediumType": "phone", "characteristic": {"phoneNumber": "+33 6 12 34 56 78"}},
            {"mediumType": "email", "characteristic": {"emailAddress": "old@ada.example"}},
            {"mediumType": "email", "preferred": True,
             "characteristic": {"emailAddress": "ada@ada.example"}}])
        placed = order(http, customer["id"], externalId="WEB-1")
        processor, notices = jobs(app)
        assert notices.run() == 1
        processor.submit_pending()
        processor.poll()
        assert notices.run() == 1
        assert notices.run() == 0  # each notice once
    assert [(to, subject) for to, subject, _ in inbox.mail] == [
        ("ada@ada.example", "We have received your order WEB-1"),
        ("ada@ada.example", "Your order WEB-1 is complete")]
    assert placed["orderDate"] in inbox.mail[0][2]


def test_notification_contact_wins_and_jeopardy_is_told(app, smtp):
    _, inbox = smtp
    soon = (datetime.now(UTC) + timedelta(hours=2)).isoformat().replace("+00:00", "Z")
    with app.test_client() as http:
        customer = create_customer(http, "Bob", contactMedium=[
            {"mediumType": "email", "characteristic": {"emailAddress": "bob@bob.example"}}])
        placed = order(http, customer["id"], "fibre-hold", notificationContact="it@bob.example",
                       requestedCompletionDate=soon)
        processor, notices = jobs(app)
        processor.check_jeopardy()
        assert notices.run() == 2
    assert [(to, subject) for to, subject, _ in inbox.mail] == [
        ("it@bob.example", f"We have received your order {placed['id']}"),
        ("it@bob.example", f"Your order {placed['id']} may be late")]


def test_notices_wait_while_the_mail_server_is_down(app, smtp):
    controller, inbox = smtp
    with app.test_client() as http:
        customer = create_customer(http, "Cy", contactMedium=[
            {"mediumType": "email", "characteristic": {"emailAddress": "cy@cy.example"}}])
        controller.stop()
        order(http, customer["id"])
        _, notices = jobs(app)
        assert notices.run() == 0
        controller.start()
        deadline = time.monotonic() + 5
        while not notices.run():
            assert time.monotonic() < deadline
    assert [to for to, _, _ in inbox.mail] == ["cy@cy.example"]


def test_no_smtp_host_no_notices(tmp_path):
    with gateway_app(database_url=f"sqlite:///{tmp_path / 'gw.db'}") as application:
        assert application.gateway.services.order_notices is None
