"""A legacy order system at the other end of RabbitMQ, for tests: takes orders, reports lines.

Every `tick` seconds each open item moves one step: inProgress, then completed (failed for an
offering with "fail", held for "hold"). Cancellations are answered on reply_to, refused for an
offering with "nocancel"; with `slow` set they are not answered at all.
"""

from __future__ import annotations

import json
import threading
from typing import Any

import pika

NEXT = {"acknowledged": "inProgress"}


class LegacyBot:
    def __init__(self, url: str, orders_queue: str, updates_queue: str, tick: float = 0.1):
        self.url, self.orders_queue, self.updates_queue, self.tick = (
            url, orders_queue, updates_queue, tick)
        self.orders: dict[str, dict[str, Any]] = {}
        self.received: list[dict[str, Any]] = []
        self.slow = False
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self) -> LegacyBot:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(5)

    def _run(self) -> None:
        connection = pika.BlockingConnection(pika.URLParameters(self.url))
        channel = connection.channel()
        for queue in (self.orders_queue, self.updates_queue):
            channel.queue_declare(queue, durable=True)
        try:
            while not self._stop.is_set():
                while True:
                    method, props, body = channel.basic_get(self.orders_queue)
                    if method is None:
                        break
                    self._handle(channel, props, json.loads(body))
                    channel.basic_ack(method.delivery_tag)
                self._advance(channel)
                connection.sleep(self.tick)
        finally:
            connection.close()

    def _handle(self, channel: Any, props: Any, body: dict[str, Any]) -> None:
        if props.type == "order":
            self.received.append(body)
            if body["id"] not in self.orders:
                self.orders[body["id"]] = {
                    item["id"]: {"state": "acknowledged", "offering": item["productOffering"]["id"]}
                    for item in body["productOrderItem"]}
        elif props.type == "cancel" and not self.slow:
            items = self.orders.get(body["orderId"], {})
            accepted = not any("nocancel" in i["offering"] for i in items.values())
            if accepted:
                for item in items.values():
                    item["state"] = "cancelled"
            channel.basic_publish("", props.reply_to, json.dumps({"accepted": accepted}),
                                  pika.BasicProperties(correlation_id=props.correlation_id))

    def _advance(self, channel: Any) -> None:
        for order_id, items in self.orders.items():
            for item_id, item in items.items():
                state, offering = item["state"], item["offering"]
                if state == "acknowledged":
                    nxt = "inProgress"
                elif state == "inProgress":
                    nxt = ("failed" if "fail" in offering else
                           "held" if "hold" in offering else "completed")
                else:
                    continue
                item["state"] = nxt
                channel.basic_publish("", self.updates_queue, json.dumps(
                    {"orderId": order_id, "itemId": item_id, "state": nxt, "reason": ""}),
                    pika.BasicProperties(delivery_mode=2))
