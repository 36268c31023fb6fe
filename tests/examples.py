#!/usr/bin/env python3
"""examples.py — the KPIs of each examples/ fixture, computed from the vendor's files by their
own meaning (not by c360's rules or output), for tests/exports.sh to compare with the build.

Usage: examples.py EXAMPLE_DIR
Prints "KPI VALUE" lines (as in gold/kpi_summary.csv), "split METHOD,COUNT,SHARE,AMOUNT"
lines (as in gold/payment_mode_split.csv) and "quarantine SOURCE,REASON,COUNT" lines (the rows of
gold/quarantine.csv by source and reason: every reason of a source named there, none other)."""
import csv
import os
import re
import sys
from decimal import Decimal as D, ROUND_HALF_UP

CENT = D("0.01")


def rows(path, encoding="utf-8", delimiter=",", skip_comments=False):
    with open(path, encoding=encoding, newline="") as f:
        lines = [l for l in f if not (skip_comments and (l.startswith("#") or not l.strip()))]
    return list(csv.DictReader(lines, delimiter=delimiter))


def money(x):
    return str(D(x).quantize(CENT, ROUND_HALF_UP))


def kpis(orders, payments=(), tickets=(), sessions=()):
    """orders: (customer, amount or None, valid); payments: (method, success, amount);
    tickets: (open,); sessions: (channel,)."""
    valid = [(c, a) for c, a, ok in orders if ok and a is not None and a >= 0]
    revenue = sum((a for _, a in valid), D(0))
    per_customer = {}
    for c, _ in valid:
        per_customer[c] = per_customer.get(c, 0) + 1
    out = {"valid_orders": str(len(valid)), "total_revenue": money(revenue),
           "total_customers": str(len(per_customer))}
    if valid:
        out["average_order_value"] = money(revenue / len(valid))
        repeat = sum(1 for n in per_customer.values() if n >= 2)
        out["repeat_customer_pct"] = money(D(repeat) * 100 / len(per_customer))
    if tickets:
        out["open_tickets"] = str(sum(1 for (is_open,) in tickets if is_open))
    if sessions:
        for channel, name in (("Mobile", "mobile_session_pct"), ("Web", "web_session_pct")):
            out[name] = money(D(sum(1 for (c,) in sessions if c == channel)) * 100 / len(sessions))
    for k, v in out.items():
        print(k, v)
    ok = [(m, a) for m, success, a in payments if success]
    for method in sorted({m for m, _ in ok}, key=lambda m: (-sum(1 for x, _ in ok if x == m), m)):
        mine = [a for x, a in ok if x == method]
        print("split %s,%d,%s,%s" % (method, len(mine), money(D(len(mine)) * 100 / len(ok)),
                                     money(sum((a for a in mine if a >= 0), D(0)))))


def shopify(d):
    first = {}
    for r in rows(os.path.join(d, "orders_export.csv")):
        first.setdefault(r["Name"], r)	# an order's totals are on its first line item
    methods = {"PayPal Express Checkout": "PayPal", "Shopify Payments": "Credit Card",
               "Cash on Delivery (COD)": "Cash"}
    orders = [(r["Email"].strip().lower(), D(r["Total"]) - D(r["Refunded Amount"] or "0"),
               r["Cancelled at"] == "" and r["Financial Status"] != "refunded")	# refunded whole: no sale
              for r in first.values()]
    payments = [(methods[r["Payment Method"]], r["Financial Status"] in ("paid", "partially_refunded"), D(r["Total"]))
                for r in first.values()]
    kpis(orders, payments)


def woocommerce(d):
    def euro(x):	# French figures: "1.500" is fifteen hundred, "24,90" has cents
        return D(x.replace(".", "").replace(",", "."))
    orders = [(r["Customer"], euro(r["Net sales"]),	# wc-...: WooCommerce's own status names
               r["Status"] not in ("Cancelled", "Refunded", "Failed", "wc-cancelled", "wc-refunded", "wc-failed"))
              for r in rows(os.path.join(d, "orders.csv"), "cp1252", ";")]
    kpis(orders)


def stripe(d):
    rates = {"eur": D(1), "usd": D("0.90"), "gbp": D("1.15")}	# the configuration's; JPY has none
    charges = rows(os.path.join(d, "payments.csv"))
    paid = ("paid", "succeeded", "partially refunded")	# the dashboard's words and the API's
    orders = [(r["Customer ID"], (D(r["Amount"]) - D(r["Amount Refunded"])) * rates[r["Currency"]]
               if r["Currency"] in rates else None, r["Status"].lower() in paid) for r in charges]
    funding = {"credit": "Credit Card", "debit": "Debit Card", "prepaid": "Wallet"}
    payments = [(funding.get(r["Card Funding"], "Unknown"), r["Status"].lower() in paid, D(r["Converted Amount"]))
                for r in charges]
    kpis(orders, payments)


def zendesk(d):
    orders = [(r["customer_id"], D(r["amount"]), r["status"] != "cancelled") for r in rows(os.path.join(d, "orders.csv"))]
    shop_id = {u["id"]: u["external_id"] for u in rows(os.path.join(d, "users.csv"))}
    tickets = [(t["Status"] not in ("Solved", "Closed"),) for t in rows(os.path.join(d, "tickets.csv"))
               if shop_id.get(t["Requester id"])]	# a guest's ticket has no customer
    kpis(orders, tickets=tickets)


def ga_sessions(d):
    orders = [(r["customer_id"], D(r["amount"]), True) for r in rows(os.path.join(d, "orders.csv"))]
    channel = {"Android": "Mobile", "iOS": "Mobile", "Windows": "Web", "Macintosh": "Web", "Linux": "Web",
               "Chrome OS": "Web"}
    sessions = [(channel.get(s["Operating system"], "Other"),)
                for s in rows(os.path.join(d, "ga_sessions.csv"), "utf-16", "\t", skip_comments=True) if s["User ID"]]
    kpis(orders, sessions=sessions)


def olist(d):
    person = {c["customer_id"]: c["customer_unique_id"] for c in rows(os.path.join(d, "olist_customers_dataset.csv"))}
    total = {}
    for i in rows(os.path.join(d, "olist_order_items_dataset.csv")):
        total[i["order_id"]] = total.get(i["order_id"], D(0)) + D(i["price"]) + D(i["freight_value"])
    order = {o["order_id"]: o for o in rows(os.path.join(d, "olist_orders_dataset.csv"))}
    failed = ("canceled", "unavailable")
    orders = [(person[o["customer_id"]], total.get(o["order_id"]), o["order_status"] not in failed)
              for o in order.values()]
    kinds = {"credit_card": "Credit Card", "debit_card": "Debit Card", "voucher": "Voucher", "boleto": "Boleto"}
    payments = [(kinds.get(p["payment_type"], "Unknown"), order[p["order_id"]]["order_status"] not in failed,
                 D(p["payment_value"])) for p in rows(os.path.join(d, "olist_order_payments_dataset.csv"))]
    tickets = [(r["review_answer_timestamp"] == "",) for r in rows(os.path.join(d, "olist_order_reviews_dataset.csv"))
               if int(r["review_score"]) <= 2]
    kpis(orders, payments, tickets)


def salesforce(d):
    orders, stage = [], None
    for r in rows(os.path.join(d, "opportunities.csv")):
        if not r["Opportunity ID"]:	# the report's footer: a line of one field
            continue
        stage = r["Stage"] or stage	# grouped by stage: named on its group's first row
        orders.append((r["Account ID"], D(r["Amount"]), stage == "Closed Won"))
    kpis(orders)


def online_retail(d):
    """UCI's Online Retail II: one row per invoice line, no customers file."""
    invoices, excluded = {}, {}
    fees = ("AMAZONFEE", "CRUK")	# fees the shop pays to others, not billed to the buyer
    for r in rows(os.path.join(d, "online_retail_II.csv")):
        inv = invoices.setdefault(r["Invoice"], [r["Customer ID"], D(0), True])
        if r["StockCode"] not in fees:
            inv[1] += int(r["Quantity"]) * D(r["Price"])	# postage, carriage, manual lines are billed
            inv[2] = False	# an invoice of fees alone is none to a customer
    # no order, each quarantined with the configuration's reason: "Adjust bad debt" is book-keeping,
    # an invoice of fees alone the shop's own cost
    for number, (c, total, fees_only) in list(invoices.items()):
        why = "bad-debt adjustment" if number.startswith("A") else "a fee the shop pays" if fees_only else None
        if why:
            excluded[why] = excluded.get(why, 0) + 1
            del invoices[number]
    # a blank Customer ID is a guest: no customer to count (quarantined, missing_customer_id);
    # "13085.0" is pandas' float of 13085; an invoice starting with C is a cancellation, no sale
    orders = [(str(int(float(c))), total.quantize(CENT, ROUND_HALF_UP), not number.startswith("C"))
              for number, (c, total, _) in invoices.items() if c.strip()]
    kpis(orders)
    print("known_customers", len({c for c, _, _ in orders}))
    guests = sum(1 for c, _, _ in invoices.values() if not c.strip())
    for why, n in sorted(excluded.items()) + [("missing_customer_id", guests)]:
        print("quarantine orders,%s,%d" % (why if why == "missing_customer_id" else "excluded: " + why, n))


def paypal(d):
    """PayPal's Activity download as the payments, beside the shop's customers and orders."""
    rates = {"USD": D(1), "EUR": D("1.08")}	# the configuration's: one euro is 1.08 dollars
    orders = [(r["customer_id"], D(r["amount"]) * rates[r["currency"]], r["status"] not in ("cancelled", "refunded"))
              for r in rows(os.path.join(d, "orders.csv"))]
    # the customers' payments by their Type; the rest of the ledger is the shop's own money
    # (withdrawals, bank deposits), a payment again in another currency (conversions), or money
    # going back of a payment already there (refunds, reversals), whose Status says so
    kinds = ("Express Checkout Payment", "Website Payment", "PreApproved Payment Bill User Payment")
    ledger = rows(os.path.join(d, "paypal_activity.csv"), "utf-8-sig")
    payments = [("PayPal", r["Status"] in ("Completed", "Partially Refunded"),	# what the customer paid
                 D(r["Gross"].replace(",", "")) * rates[r["Currency"]])		# "1,234.56"
                for r in ledger if r["Type"] in kinds]
    kpis(orders, payments)
    print("known_customers", len(rows(os.path.join(d, "customers.csv"))))
    # a customer's money back (a refund, a chargeback) is quarantined with the configuration's reason;
    # the shop's own money (bank, conversions) is no customer's row, in no source
    back = sum(1 for r in ledger if r["Type"] in ("Payment Refund", "Payment Reversal"))
    print("quarantine payments,excluded: money back of a payment whose Status says so,%d" % back)


def magento(d):
    """Magento 2's admin grid exports (Sales > Orders, Customers > All Customers > Export > CSV)."""
    import re
    from datetime import datetime, timezone
    rates = {"$": D(1), "€": D("1.08")}	# the configuration's: USD the base, one euro 1.08 dollars

    def money(x):	# the admin's en_US format: "$1,234.50", "€1,299.00"
        return x[0], D(x[1:].replace(",", ""))

    # "Purchase Date" is the store's local time without an offset: UTC unless the configuration
    # names the zone (orders.time_zone = Area/City, not commented out); a time the clocks skip
    # or repeat is taken at its first offset (fold=0)
    zone = {}	# by source: the orders' and the payments' (the same column, read twice)
    for line in open(os.path.join(d, "c360.conf"), encoding="utf-8"):
        m = re.match(r"\s*(orders|payments)\.time_zone\s*=\s*(\S+)", line)
        if m:
            from zoneinfo import ZoneInfo
            zone[m.group(1)] = ZoneInfo(m.group(2))

    def day(text, source):
        t = datetime.strptime(text, "%b %d, %Y %I:%M:%S %p")
        if source in zone:
            t = t.replace(tzinfo=zone[source], fold=0).astimezone(timezone.utc)
        return t.date()

    accounts = rows(os.path.join(d, "customers.csv"))
    by_site = {(a["Email"].lower(), a["Web Site"]): a["ID"] for a in accounts}
    by_mail = {}
    for a in sorted(accounts, key=lambda a: int(a["ID"])):
        by_mail.setdefault(a["Email"].lower(), a["ID"])
    orders, payments, dates = [], [], []
    paid = ("Complete", "Processing")	# invoiced: the money was taken
    methods = {"PayPal Express Checkout": "PayPal", "Credit Card (Braintree)": "Credit Card", "Cash On Delivery": "Cash",
               "Bank Transfer Payment": "Net Banking", "Check / Money order": "Check / Money Order",
               "checkmo": "Check / Money Order"}
    for o in rows(os.path.join(d, "orders.csv")):
        mail = o["Customer Email"].strip().lower()
        if not mail:	# nobody to count it for
            continue
        website = o["Purchase Point"].split("\n")[0]
        who = by_site.get((mail, website)) or by_mail.get(mail) or mail	# a guest: by the e-mail
        symbol, base = money(o["Grand Total (Base)"])	# the base currency: Magento's rate of the day
        _, refunded = money(o["Total Refunded"])
        net = ((base - refunded) * rates[symbol]).quantize(CENT, ROUND_HALF_UP)
        # Canceled, Closed (refunded whole) and Suspected Fraud are no sale
        orders.append((who, net, o["Status"] not in ("Canceled", "Closed", "Suspected Fraud")))
        dates.append(day(o["Purchase Date"], "orders"))
        if o["Payment Method"] != "No Payment Information Required":	# a free order: no payment
            dates.append(day(o["Purchase Date"], "payments"))
            payments.append((methods[o["Payment Method"]], o["Status"] in paid,
                             (base * rates[symbol]).quantize(CENT, ROUND_HALF_UP)))
    kpis(orders, payments)
    print("known_customers", len(accounts))
    print("as_of", max(dates))


def square(d):
    """Square's Transactions CSV (Sales > Transactions > Export) and customer directory export."""
    from datetime import datetime, timezone
    from zoneinfo import ZoneInfo
    # the location's zone as Square names it: Ruby on Rails' ActiveSupport::TimeZone names, whose
    # MAPPING gives the IANA zone of each (the fixture's two; an unknown name fails here, loudly)
    rails = {"Pacific Time (US & Canada)": "America/Los_Angeles", "Eastern Time (US & Canada)": "America/New_York"}

    def money(x):	# "$1,250.00", "-$5.00"
        return D(x.replace("$", "").replace(",", ""))

    def day(r):	# the local time's UTC day
        local = datetime.strptime(r["Date"] + " " + r["Time"], "%Y-%m-%d %H:%M:%S")
        return local.replace(tzinfo=ZoneInfo(rails[r["Time Zone"]])).astimezone(timezone.utc).date()

    rows_ = rows(os.path.join(d, "transactions.csv"))
    refunds = {}
    for r in rows_:
        if r["Event Type"] == "Refund":
            refunds.setdefault(r["Transaction ID"], []).append(r)
    orders, payments, dates, excluded = [], [], [], {}

    def out(why):
        excluded[why] = excluded.get(why, 0) + 1

    for r in rows_:
        if r["Event Type"] == "Refund":	# taken from its sale below, no order of its own
            out(("orders", "a refund, taken from the sale of its Transaction ID"))
            continue
        who = r["Customer ID"].strip()
        back = refunds.get(r["Transaction ID"], [])
        whole = bool(back) and money(r["Total Collected"]) + sum(money(b["Total Collected"]) for b in back) == 0
        # the tenders: each one the customer paid with is a payment, tax and tip included
        tenders = [("Card", r["Card"]), ("Cash", r["Cash"]), ("Voucher", r["Square Gift Card"]),
                   ("Wallet", r["Cash App"]), (r["Other Tender Type"] or "Other", r["Other Tender"])]
        mine = [(m, money(a)) for m, a in tenders if money(a) != 0]
        if not who:	# a walk-in: nobody's sale, nobody's payments
            out(("orders", "a walk-in sale, no customer attached"))
            for _ in mine:
                out(("payments", "a walk-in sale, no customer attached"))
            continue
        for m, a in mine:	# Complete is paid; a sale refunded whole was given back
            payments.append((m, r["Transaction Status"] == "Complete" and not whole, a))
            dates.append(day(r))
        # what the shop sold: Net Sales (no tax, no tip, no gift card sold), less what went back
        net = money(r["Net Sales"]) + sum(money(b["Net Sales"]) + money(b["Partial Refunds"]) for b in back)
        if money(r["Net Sales"]) == 0 and money(r["Gift Card Sales"]) > 0:	# money in advance, no goods
            out(("orders", "a gift card sold: its sales count when it is spent"))
            continue
        orders.append((who, net, r["Transaction Status"] == "Complete" and not whole))
        dates.append(day(r))
    kpis(orders, payments)
    print("known_customers", len(rows(os.path.join(d, "customers.csv"))))
    print("as_of", max(dates))
    for (source, why), n in sorted(excluded.items()):
        print("quarantine %s,excluded: %s,%d" % (source, why, n))


def hubspot(d):
    """HubSpot's view exports (CRM > Contacts, Deals, Tickets > Export, associations included).
    Checked by hand: Paul Wolf (71051) has Wolf & Klein's two deals, 7,400 and 1,188, the
    lowest of the two contacts each lists (a repeat customer; Sophie Klein, 71101, has none);
    Brandtner's 3,100 won at 00:20 on 1 March in Berlin (CET) is 29 February UTC; Felix Krüger
    (70551) has one valid order, 640 (his first won deal has no Amount); Emil Fischer (70851),
    Ida Becker (70901, her only deal lost) and Nina Vogel (71551, her only deal open) are churn
    risks with a ticket each and no valid order; Clara Wagner (70801) is none: her 49.90 of 11
    April is inside the 90 days before 28 June."""
    from datetime import datetime, timedelta, timezone
    from zoneinfo import ZoneInfo
    berlin = ZoneInfo("Europe/Berlin")	# the account's time zone: exported times are its local times

    def day(text):	# "2024-03-01 00:20", Berlin's, dated by its UTC day
        return datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=berlin).astimezone(timezone.utc).date()

    def contact(ids):	# "71101;71051": the lowest Record ID, whatever the order; none is no one
        ids = [i.strip() for i in ids.split(";") if i.strip()]
        return min(ids, key=int) if ids else None

    won, lost = ("Closed Won", "Renewed"), ("Closed Lost", "Cancelled by customer")	# the pipelines' labels
    orders, dated, out = [], [], {}
    for r in rows(os.path.join(d, "deals.csv")):
        who = contact(r["Associated Contact IDs"])
        if r["Deal Stage"] not in won + lost:	# an open deal: no sale yet
            out[("orders", "excluded: an open deal, not won or lost yet")] = out.get(("orders", "excluded: an open deal, not won or lost yet"), 0) + 1
        elif who is None:	# a deal on a company only: no one's
            out[("orders", "missing_customer_id")] = out.get(("orders", "missing_customer_id"), 0) + 1
        else:
            amount = D(r["Amount"]) if r["Amount"].strip() else None	# "4800", "2350.5"; none: no valid order
            orders.append((who, amount, r["Deal Stage"] in won))
            dated.append((who, day(r["Close Date"]), amount is not None and r["Deal Stage"] in won))
    tickets, asked = [], set()
    for t in rows(os.path.join(d, "tickets.csv")):
        who = contact(t["Associated Contact IDs"])
        if who is None:
            out[("support_tickets", "missing_customer_id")] = out.get(("support_tickets", "missing_customer_id"), 0) + 1
            continue
        tickets.append((t["Ticket status"] not in ("Closed", "Live"),))	# Live ends an onboarding
        asked.add(who)
        dated.append((who, day(t["Create date"]), False))
    kpis(orders, tickets=tickets)
    as_of = max(x for _, x, _ in dated)
    recent = {c for c, x, ok in dated if ok and as_of - timedelta(days=90) < x <= as_of}
    print("as_of", as_of)
    print("known_customers", len(rows(os.path.join(d, "contacts.csv"))))
    print("churn_risk_customers", len(asked - recent))
    for (source, why), n in sorted(out.items()):
        print("quarantine %s,%s,%d" % (source, why, n))


def etsy(d):
    """Etsy's Orders downloads, one per year (EtsySoldOrders2023.csv, EtsySoldOrders2024.csv): one
    row per order, no customers file. Every year's file of the folder is read, in the years' order.

    By hand: Theo Nakamura's 84.00 of 11 February, 32.00 of it refunded (Adjusted Order Total
    52.00), counts 52.00; Hannah Becker's 110.00 CAD of 14 October 2023 is 81.40 dollars at 0.74,
    her 44.00 less 4.40 off plus 9.50 (49.10 CAD) 36.33 (36.334), her 82.00 USD of April as it is:
    199.73 in three orders; Sofia Marchetti's only order was refunded whole, so she is known but no
    customer with an order; Ben Adeyemi's first order was cancelled, his second (54.00) stands."""
    from datetime import datetime
    rates = {"USD": D(1), "CAD": D("0.74")}	# the configuration's: US dollars the base
    methods = {"Credit Card": "Credit Card", "PayPal": "PayPal", "Apple Pay": "Wallet", "Google Pay": "Wallet",
               "Etsy Gift Card": "Voucher", "Klarna": "Klarna"}

    def dollars(x, currency):
        return (D(x) * rates[currency]).quantize(CENT, ROUND_HALF_UP)

    orders, payments, days, buyers, guests = [], [], [], set(), 0
    years = sorted(f for f in os.listdir(d) if re.fullmatch(r"EtsySoldOrders[0-9]{4}\.csv", f))
    assert years, "no EtsySoldOrdersYYYY.csv in " + d
    for r in (r for f in years for r in rows(os.path.join(d, f))):
        buyer = r["Buyer User ID"].strip()
        if buyer in ("", "0"):	# a guest checkout: no Etsy account, quarantined with its reason
            guests += 1
            continue
        buyers.add(buyer)
        days.append(datetime.strptime(r["Sale Date"], "%m/%d/%y").date())	# 01/15/24, month first
        stands = r["Status"].strip() not in ("Canceled", "Refunded")	# Refunded: given back whole
        adjusted = r["Adjusted Order Total"].strip()	# what stays after a partial refund, where above 0
        kept = adjusted if adjusted and D(adjusted) > 0 else r["Order Total"]
        orders.append((buyer, dollars(kept, r["Currency"]), stands))
        payments.append((methods[r["Payment Method"]], stands, dollars(r["Order Total"], r["Currency"])))
    kpis(orders, payments)
    print("known_customers", len(buyers))
    print("as_of", max(days))
    for source in ("orders", "payments"):
        print("quarantine %s,excluded: a guest checkout, no Etsy account to count it for,%d" % (source, guests))


def bigcommerce(d):
    """BigCommerce's order export (the Default template): one row per order, no customers file.

    By hand: Maya Chen's 64.50, her 92.00 less the 18.00 refunded for a chipped cup (74.00) and
    her 38.25 awaiting fulfillment: 176.75 in three orders; Owen Brennan's guest order of 45.00
    and his 58.40 as account 118 (Owen.Brennan@example.net with a trailing blank): one customer,
    103.40 in two; Priya Natarajan's 119.78 CAD is 87.44 dollars at 0.73 (87.4394), her refunded
    54.24 CAD no sale; Sofia Ricci's 90.78 CAD 66.27 (66.2694); Lukas Weber's cancelled 72.00 no
    sale, his reorder a sale; Grace Okoye's declined card no sale, her PayPal order the same day
    (33.00) one; an incomplete checkout and a market stall's order without an e-mail no one's."""
    rates = {"USD": D(1), "CAD": D("0.73")}	# the configuration's: US dollars the base
    methods = {"Credit Card": "Credit Card", "PayPal": "PayPal", "Bank Deposit": "Net Banking", "Manual": "Manual"}
    no_sale = ("Cancelled", "Declined", "Refunded")	# Refunded: given back whole
    paid = ("Completed", "Shipped", "Partially Shipped", "Partially Refunded", "Awaiting Fulfillment",
            "Awaiting Shipment", "Awaiting Pickup")	# the money taken at checkout, kept

    def dollars(x, currency):
        return (D(x) * rates[currency]).quantize(CENT, ROUND_HALF_UP)

    from datetime import datetime
    orders, payments, buyers, days, out = [], [], set(), [], {}
    for r in rows(os.path.join(d, "orders-2024-06-01.csv")):
        buyer = r["Customer Email"].strip().lower()	# a guest's (Customer ID 0) and an account's alike
        why = ("an incomplete checkout, never placed" if r["Order Status"] == "Incomplete" else
               "an order without an e-mail, no one to count it for" if not buyer else None)
        if why:
            for source in ("orders", "payments"):
                out[(source, "excluded: " + why)] = out.get((source, "excluded: " + why), 0) + 1
            continue
        buyers.add(buyer)
        days.append(datetime.strptime(r["Order Date"], "%m/%d/%Y").date())	# 01/08/2024, month first
        cur = r["Order Currency Code"]
        kept = D(r["Order Total (inc tax)"]) - D(r["Refund Amount"] or "0")
        orders.append((buyer, dollars(kept, cur), r["Order Status"] not in no_sale))
        payments.append((methods[r["Payment Method"]], r["Order Status"] in paid,
                         dollars(r["Order Total (inc tax)"], cur)))
    kpis(orders, payments)
    print("known_customers", len(buyers))
    print("as_of", max(days))
    for (source, why), n in sorted(out.items()):
        print("quarantine %s,%s,%d" % (source, why, n))

def freshdesk(d):
    """Freshdesk's tickets export (contact fields Full name, Email, Contact ID added) beside the
    shop's own orders: customers are the e-mails of both.

    By hand: as of 29 June 2024 (Marcus Bell's ticket of 20:30 on 28 June, New York's EDT, is
    00:30 UTC on the 29th), six tickets are open: Diego's Waiting on Third Party, Priya's Pending,
    Nora's Waiting on Customer (written Nora.Lindqvist@Example.com), Hana's Pending, Femi's Open and
    Marcus's Open; Claire's Replacement Shipped is resolved. Nora has two tickets (one open) and two
    orders, 129.00 and 24.00 (153.00); Priya two tickets and no order. Churn risks, a ticket and no
    valid order after 31 March: Diego (his June order cancelled), Femi (his only order refunded),
    Priya; Aisha's 45.00 of 1 April is inside the 90 days. Nine valid orders, 756.50."""
    from datetime import datetime, timedelta, timezone
    from zoneinfo import ZoneInfo
    york = ZoneInfo("America/New_York")	# the helpdesk's time zone: exported times are its local times

    def day(text):	# "2024-06-28 20:30:00", New York's, dated by its UTC day
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=york).astimezone(timezone.utc).date()

    closed = ("Resolved", "Closed", "Replacement Shipped")	# the shop's custom status ends a ticket
    no_sale = ("cancelled", "refunded")
    orders, dated, people, out = [], [], set(), {}
    for r in rows(os.path.join(d, "orders.csv")):
        who = r["customer_email"].strip().lower()
        people.add(who)
        orders.append((who, D(r["total"]), r["status"] not in no_sale))
        dated.append((who, datetime.strptime(r["order_date"], "%Y-%m-%d").date(), r["status"] not in no_sale))
    tickets, asked = [], set()
    for t in rows(os.path.join(d, "tickets.csv")):
        who = t["Email"].strip().lower()
        why = ("spam, no customer's ticket" if "spam" in [x.strip().lower() for x in t["Tags"].split(",")] else
               "a ticket without an e-mail, no one to count it for" if not who else None)
        if why:
            out[("support_tickets", "excluded: " + why)] = out.get(("support_tickets", "excluded: " + why), 0) + 1
            continue
        people.add(who)
        asked.add(who)
        tickets.append((t["Status"] not in closed,))
        dated.append((who, day(t["Created time"]), False))
    kpis(orders, tickets=tickets)
    as_of = max(x for _, x, _ in dated)
    recent = {c for c, x, ok in dated if ok and as_of - timedelta(days=90) < x <= as_of}
    print("as_of", as_of)
    print("known_customers", len(people))
    print("churn_risk_customers", len(asked - recent))
    for (source, why), n in sorted(out.items()):
        print("quarantine %s,%s,%d" % (source, why, n))


def amazon(d):
    """Amazon Seller Central's All Orders Report (a tab-separated .txt, one row per order item): no
    buyer in it, so a customer is a ship-to postal area (the country and the postal code; a US ZIP+4
    by its five digits). Beside it, the Date Range transaction report of Amazon.com (Reports >
    Payments > Date Range Reports, CSV after seven lines of notes): each order's payment, and its
    refunds taken from the order.

    By hand: Seattle's 98103 (98103-4417 in January) has two sales, 39.98 and 30.98 (a headlamp
    24.99 with 5.99 shipping; the trekking poles of that order cancelled, 59.00 not sold); Denver's
    80205 three: 46.98 (24.99 + 5.99 shipping + 18.50 less a 2.50 promotion), a business order's
    179.90 and 44.97 (39.98 + 4.99); Austin's 78704 two: 59.49 (55.50 with 3.99 of gift wrap) and
    78.99 (59.00 shipped, 19.99 not yet: the order is Shipping); Toronto's 34.99 CAD is 25.89 at
    0.74 (25.8926), Vancouver's 32.99 CAD (its 7.99 shipping given back by a promotion) 24.41
    (24.4126), Mexico City's 649.00 MXN 37.64 at 0.058 (37.642), Brooklyn's 46.49: eleven sales,
    615.72, seven areas, three of them repeat. Portland's cancelled order and Chicago's pending
    one (no price yet) are no sale; a Multi-Channel Fulfillment order (sales-channel Non-Amazon)
    and a cancelled order without an address are no area's. The Date Range report gives back 35.98
    of Denver's 179.90 (two packs returned: 143.92 kept) and all of Brooklyn's 46.49 (a Returned
    order: Brooklyn no longer an area that bought): ten sales, 533.25, six areas, three repeat.
    Payments, one per order Amazon.com charged (the goods, shipping, gift wrap, less promotions):
    seven a Success (Austin's Shipping order only the 59.00 shipped), 461.30, Brooklyn's Refunded;
    the latest, Denver's of 10:14 PDT on 20 April, the as-of date."""
    from datetime import datetime, timedelta, timezone
    rates = {"USD": D(1), "CAD": D("0.74"), "MXN": D("0.058")}	# the configuration's: US dollars the base

    def area(r):
        code, country = r["ship-postal-code"].strip().upper().replace(" ", ""), r["ship-country"].strip().upper()
        if not code:
            return None
        return country + " " + (code[:5] if country == "US" else code)

    def num(x):	# "-2.50" or "2.50": a promotion takes off either way
        return abs(D(x)) if x.strip() else D(0)

    by_order = {}
    for r in rows(os.path.join(d, "all-orders-2024-04.txt"), "cp1252", "\t"):	# tabs, Windows-1252
        by_order.setdefault(r["amazon-order-id"], []).append(r)
    # the Date Range report: seven lines of Amazon's notes, then the header; PST and PDT the Pacific
    # offsets; "1,020.44" with a thousands comma
    with open(os.path.join(d, "date-range-2024-01-01-2024-04-30.csv"), encoding="utf-8", newline="") as f:
        ledger = list(csv.DictReader(f.readlines()[7:]))
    zones = {"PST": timezone(timedelta(hours=-8)), "PDT": timezone(timedelta(hours=-7))}

    def when(text):	# "Mar 9, 2024 11:30:12 PM PST"
        at, zone = text.rsplit(" ", 1)
        return datetime.strptime(at, "%b %d, %Y %I:%M:%S %p").replace(tzinfo=zones[zone]).astimezone(timezone.utc).date()

    def goods(r):	# the buyer's money for goods: product, shipping, gift wrap, less promotions
        return sum(D(r[c].replace(",", "")) for c in ("product sales", "shipping credits", "gift wrap credits", "promotional rebates"))

    back, charged, charged_on, out = {}, {}, {}, {}
    for r in ledger:
        if r["type"] == "Refund":
            back[r["order id"]] = back.get(r["order id"], D(0)) + goods(r)
        elif r["type"] == "Order":
            charged[r["order id"]] = charged.get(r["order id"], D(0)) + goods(r)
            charged_on[r["order id"]] = when(r["date/time"])
    for o in back:	# an order's refund rows are one quarantined row
        out[("payments", "excluded: a refund, taken from its order and its payment")] = \
            out.get(("payments", "excluded: a refund, taken from its order and its payment"), 0) + 1
    for r in ledger:
        why = {"Order": None, "Refund": None, "Transfer": "a transfer to the shop's bank, no customer's payment"}.get(
            r["type"], "a fee Amazon charges the shop, no customer's payment")
        if why:
            out[("payments", "excluded: " + why)] = out.get(("payments", "excluded: " + why), 0) + 1
    payments = [("Amazon", paid + back.get(o, D(0)) != 0, paid) for o, paid in charged.items()]
    days = list(charged_on.values())
    orders, areas = [], set()
    for oid, lines in by_order.items():
        first = lines[0]
        who = area(first)
        why = ("a Multi-Channel Fulfillment order, sold on the shop's own site" if first["sales-channel"] == "Non-Amazon" else
               "no ship-to address, no area to count it for" if who is None else None)
        if why:
            out[("orders", "excluded: " + why)] = out.get(("orders", "excluded: " + why), 0) + 1
            continue
        areas.add(who)
        days.append(datetime.fromisoformat(first["purchase-date"]).astimezone(timezone.utc).date())
        sold = [l for l in lines if l["item-status"] != "Cancelled" and l["item-price"].strip()]
        total = None
        if sold:	# the items sold, their shipping and gift wrap, less the promotions; tax not the shop's
            total = sum((D(l["item-price"]) + num(l["shipping-price"]) + num(l["gift-wrap-price"])
                         - num(l["item-promotion-discount"]) - num(l["ship-promotion-discount"]) for l in sold), D(0))
            total = (total * rates[sold[0]["currency"]]).quantize(CENT, ROUND_HALF_UP)
            total += back.get(oid, D(0))	# Amazon.com's refunds, in its dollars
        whole = oid in back and total == 0	# refunded whole: returned, no sale
        orders.append((who, total, first["order-status"] not in ("Cancelled", "Unfulfillable") and not whole))
    kpis(orders, payments)
    print("known_customers", len(areas))
    print("as_of", max(days))
    for (source, why), n in sorted(out.items()):
        print("quarantine %s,%s,%d" % (source, why, n))


def ebay(d):
    """eBay Seller Hub's Orders report (Orders > Download report, "Orders report" CSV), the seller's
    only file: a blank line, the header, a line of empty cells, the records, a blank line and two
    footer lines (the count of records and the Seller ID). A record is a Sales Record Number: one
    line for an order of one item, else a summary line with the order's buyer and money (no Item
    Number) and a line per item.

    By hand: 18 orders paid, 2,828.51 (the Total Prices: 213.59 + 91.59 + 73.99 + 49.29 +
    1,363.19 + 34.61 + 51.90 + 120.00 + 103.00 + 56.71 + 26.73 + 240.75 + 40.66 + 111.56 + 89.04 +
    28.42 + 57.51 + 75.97), by 10 buyers, six of them twice or more (retro_lens_fan and vinylmarta
    three times); the Leica's $1,249.00 with its shipping and tax 1,363.19; Marta's two LPs one
    order of 91.59, Samuel's three accessories (a lens cap twice) one of 51.90; Ray Delgado's strap
    bought on 25 March and never paid no sale (his later order one); Credit Card 9, PayPal 5,
    Apple Pay and Google Pay 4 (Wallet)."""
    from datetime import datetime
    path = [os.path.join(d, f) for f in sorted(os.listdir(d)) if f.startswith("eBay-OrdersReport")][0]
    with open(path, encoding="utf-8", newline="") as f:
        lines = list(csv.reader(f))
    header, body = lines[1], lines[2:]	# line 1 is blank
    end = next(i for i, r in enumerate(body) if not r)	# the blank line that ends the records
    footer = [r for r in body[end + 1:] if r]
    records = {}
    for r in body[:end]:
        r = dict(zip(header, r))
        if any(v.strip() for v in r.values()):	# not the line of empty cells under the header
            records.setdefault(r["Sales Record Number"], []).append(r)
    wallets = ("Apple Pay", "Google Pay")
    orders, payments, buyers, days, out = [], [], set(), [], {}
    for group in records.values():
        order = next((r for r in group if not r["Item Number"]), group[0])	# the summary, else the line
        if not order["Paid On Date"]:
            why = "excluded: bought, never paid (no Paid On Date): no sale"
            out[("orders", why)] = out.get(("orders", why), 0) + 1
            continue
        paid = D(order["Total Price"].replace("$", "").replace(",", ""))
        buyers.add(order["Buyer Username"])
        days.append(datetime.strptime(order["Sale Date"], "%b-%d-%y").date())
        orders.append((order["Buyer Username"], paid, True))
        method = order["Payment Method"]
        payments.append(("Wallet" if method in wallets else method, True, paid))
    kpis(orders, payments)
    print("known_customers", len(buyers))
    print("as_of", max(days))
    out[("ebay_orders", "malformed_row")] = len(footer)	# the report's footer lines
    for (source, why), n in sorted(out.items()):
        print("quarantine %s,%s,%d" % (source, why, n))

example = sys.argv[1].rstrip("/")
{"shopify": shopify, "woocommerce": woocommerce, "stripe": stripe, "zendesk": zendesk, "ga-sessions": ga_sessions,
 "olist": olist, "salesforce": salesforce, "online-retail": online_retail,
 "paypal": paypal, "magento": magento, "square": square,
 "hubspot": hubspot, "etsy": etsy, "bigcommerce": bigcommerce, "freshdesk": freshdesk,
 "amazon": amazon,
 "ebay": ebay}[os.path.basename(example)](example)
