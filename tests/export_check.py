#!/usr/bin/python3
"""export_check.py - read a workbook written by "duka export" back and
compare it with the database it came from.

usage: /usr/bin/python3 export_check.py XLSX DB --today YYYY-MM-DD
           --tz ZONE --near-days N [--from D] [--to D]
           [--rows-per-sheet N] [--fixture] [--expect-empty]

Needs Debian's python3-openpyxl (run it with /usr/bin/python3). Every
expected value is worked out here from the database with integer
arithmetic: the sheet names and order, the header rows, every cell's
value, type and number format, the row colours, the frozen header, the
autofilter, the column widths and the totals rows (the =SUM formulas, and
their cached values against integer sums). Money is compared as
cents / 100, the one division duka does, so equality is exact.

--fixture adds the facts of check_export.c's shop worked out by hand;
--expect-empty asks for a range without sales; --rows-per-sheet N reads
sheets continued every N rows ("Sale lines (2)"...).

Exit status 0 when everything matches; 1 with one line per difference.
"""
import argparse
import datetime
import sqlite3
import sys
import zoneinfo

import openpyxl
from openpyxl.utils import get_column_letter

MONEY = '"KSh "#,##0.00;"KSh "-#,##0.00'
FORMATS = {
    "int": "#,##0",
    "id": "0",
    "money": MONEY,
    "date": "dd/mm/yyyy",
    "stamp": "dd/mm/yyyy hh:mm",
}
FILLS = {
    None: None,
    "low": "FFFFEB9C",
    "out": "FFFFC7CE",
    "expiring": "FFFCE4D6",
    "expired": "FFC00000",
}

# Sheets: name, columns (title, kind), has a totals row (never continued).
SHEETS = [
    ("Summary", [
        ("Business day", "date"), ("Sales", "int"), ("Refunds", "int"),
        ("Gross", "money"), ("Discounts", "money"), ("Sales total", "money"),
        ("Refunds total", "money"), ("Takings", "money"), ("VAT", "money"),
        ("Net of VAT", "money"), ("Cash", "money"), ("M-PESA", "money"),
        ("Card", "money"), ("Bank transfer", "money"),
        ("On account", "money"), ("Pending", "money")], True),
    ("Sales", [
        ("Receipt", "text"), ("Date and time", "stamp"),
        ("Business day", "date"), ("Till", "text"), ("Shift", "id"),
        ("Kind", "text"), ("State", "text"), ("Refund of", "text"),
        ("Customer", "text"), ("Cashier", "text"), ("Gross", "money"),
        ("Discount", "money"), ("Total", "money"), ("VAT", "money"),
        ("Net of VAT", "money")], False),
    ("Sale lines", [
        ("Receipt", "text"), ("Business day", "date"), ("Line", "id"),
        ("SKU", "text"), ("Product", "text"), ("Unit", "text"),
        ("Tax class", "text"), ("Quantity", "qty"),
        ("Shelf price", "money"), ("Unit price", "money"),
        ("Line discount", "money"), ("Sale discount", "money"),
        ("Amount", "money"), ("VAT", "money"), ("Net of VAT", "money")],
     False),
    ("Payments", [
        ("Receipt", "text"), ("Business day", "date"),
        ("Date and time", "stamp"), ("Method", "text"), ("State", "text"),
        ("Amount", "money"), ("Tendered", "money"), ("Change", "money"),
        ("M-PESA receipt or reference", "text"), ("Proof", "text"),
        ("Phone", "text"), ("Customer", "text"),
        ("Last changed", "stamp")], False),
    ("M-PESA", [
        ("Date and time", "stamp"), ("Prompt", "id"),
        ("Sale or account", "text"), ("M-PESA receipt", "text"),
        ("Amount", "money"), ("Phone", "text"), ("State", "text"),
        ("To look at", "text")], False),
    ("Stock on hand", [
        ("SKU", "text"), ("Product", "text"), ("Category", "text"),
        ("Unit", "text"), ("On hand", "qty"), ("Reorder level", "qty"),
        ("Status", "text"), ("Cost", "money"), ("Price", "money"),
        ("Value at cost", "money"), ("Value at price", "money"),
        ("Next expiry", "date")], True),
    ("Expiry", [
        ("Expiry date", "date"), ("Days left", "int"), ("Status", "text"),
        ("SKU", "text"), ("Product", "text"), ("Batch", "text"),
        ("Received", "date"), ("Quantity", "qty"), ("Unit cost", "money"),
        ("Value at cost", "money")], True),
    ("Stock movements", [
        ("Date and time", "stamp"), ("SKU", "text"), ("Product", "text"),
        ("Reason", "text"), ("Quantity", "qty"), ("Unit cost", "money"),
        ("Value at cost", "money"), ("Unit price", "money"),
        ("Batch", "text"), ("Batch expiry", "date"), ("Reference", "text"),
        ("User", "text"), ("Note", "text")], False),
    ("Reorder suggestions", [
        ("SKU", "text"), ("Product", "text"), ("Supplier", "text"),
        ("On hand", "qty"), ("On order", "qty"), ("Sold a day", "qty"),
        ("Lead time (days)", "int"), ("Suggested order", "qty"),
        ("Pack size", "qty"), ("Reorder date", "date"), ("Due", "text")],
     False),
    ("Alerts", [
        ("Alert", "text"), ("Shift", "id"), ("User", "text"),
        ("Count", "int"), ("Amount", "money"), ("Last at", "stamp"),
        ("What happened", "text")], False),
    ("Shifts (X and Z)", [
        ("Till", "text"), ("Report", "text"), ("Z number", "id"),
        ("Opened", "stamp"), ("Closed", "stamp"), ("Opened by", "text"),
        ("Closed by", "text"), ("Float", "money"), ("Sales", "int"),
        ("Refunds", "int"), ("Gross", "money"), ("Discounts", "money"),
        ("Sales total", "money"), ("Refunds total", "money"),
        ("Net total", "money"), ("Cash", "money"), ("M-PESA", "money"),
        ("Card", "money"), ("Bank transfer", "money"),
        ("On account", "money"), ("Pending", "money"), ("Paid in", "money"),
        ("Paid out", "money"), ("No sales", "int"), ("Voids", "int"),
        ("Voids total", "money"), ("Expected cash", "money"),
        ("Counted cash", "money"), ("Difference", "money")], False),
]

KIND_LABELS = {"sale": "sale", "refund": "refund"}
STATE_LABELS = {"completed": "completed",
                "awaiting_payment": "awaiting payment", "paid": "paid",
                "pending": "pending", "failed": "failed",
                "cancelled": "cancelled"}
TAX_LABELS = {"standard": "standard (16%)", "zero": "zero rated",
              "exempt": "exempt"}
METHOD_LABELS = {"cash": "Cash", "mpesa": "M-PESA", "card": "Card",
                 "bank": "Bank transfer", "account": "On account"}
REASON_LABELS = {"receive": "received", "sale": "sale", "return": "return",
                 "damage": "damaged", "expiry": "expired",
                 "count": "stock count", "transfer": "transfer",
                 "correction": "correction"}
METHODS = ["cash", "mpesa", "card", "bank", "account"]

failures = []


def fail(msg):
    failures.append(msg)


def mul_qty(unit, qty):
    """unit * qty / 1000 rounded half away from zero (money_mul_qty)."""
    p = unit * qty
    sign = -1 if p < 0 else 1
    return sign * ((abs(p) + 500) // 1000)


def parse_date(text):
    return datetime.date.fromisoformat(text)


class Checker:
    def __init__(self, args):
        self.args = args
        self.tz = zoneinfo.ZoneInfo(args.tz)
        self.db = sqlite3.connect("file:%s?mode=ro" % args.db, uri=True)
        self.wb = openpyxl.load_workbook(args.xlsx)
        self.wbv = openpyxl.load_workbook(args.xlsx, data_only=True)
        self.day_from = args.date_from or ""
        self.day_to = args.date_to or "9999-12-31"
        self.ts_from = self.midnight_utc(args.date_from) \
            if args.date_from else ""
        self.ts_to = self.midnight_utc(
            (parse_date(args.date_to) + datetime.timedelta(days=1))
            .isoformat()) if args.date_to else "9999-12-31T23:59:59.999Z~"
        self.today = parse_date(args.today)

    def q(self, sql, *params):
        return self.db.execute(sql, params).fetchall()

    def midnight_utc(self, day):
        d = parse_date(day)
        local = datetime.datetime(d.year, d.month, d.day, tzinfo=self.tz)
        utc = local.astimezone(datetime.timezone.utc)
        return utc.strftime("%Y-%m-%dT%H:%M:%S.000Z")

    def local(self, stamp):
        """A UTC stamp as the naive local date-time Excel shows."""
        if stamp is None:
            return None
        t = datetime.datetime.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S")
        ms = int(stamp[20:23]) if len(stamp) > 23 and stamp[19] == "." \
            else 0
        t = t.replace(tzinfo=datetime.timezone.utc,
                      microsecond=ms * 1000)
        return t.astimezone(self.tz).replace(tzinfo=None)

    # Reading the sheets.

    def parts(self, name, continued):
        """The worksheets of a sheet: itself and its continuations."""
        names = [name]
        if continued:
            k = 2
            while "%s (%d)" % (name[:24], k) in self.wb.sheetnames:
                names.append("%s (%d)" % (name[:24], k))
                k += 1
        return names

    def sheet_rows(self, name, cols, totals):
        """Data rows of a sheet (all parts) as (formula cell row, cached
        value row) pairs, after checking each part's frame."""
        rows = []
        names = self.parts(name, not totals)
        for i, part in enumerate(names):
            ws = self.wb[part]
            wsv = self.wbv[part]
            header = [c.value for c in ws[1]]
            want = [c[0] for c in cols]
            if header != want:
                fail("%s: header %r, expected %r" % (part, header, want))
            for c in ws[1]:
                if not c.font.b:
                    fail("%s!%s: header not bold" % (part, c.coordinate))
            if ws.freeze_panes != "A2":
                fail("%s: frozen at %r, expected A2" %
                     (part, ws.freeze_panes))
            n = ws.max_row - 1 - (1 if totals else 0)
            if totals and ws.max_row < 2:
                fail("%s: no totals row" % part)
            ref = "A1:%s%d" % (get_column_letter(len(cols)), n + 1)
            if ws.auto_filter.ref != ref:
                fail("%s: autofilter %r, expected %r" %
                     (part, ws.auto_filter.ref, ref))
            if ws.max_column != len(cols):
                fail("%s: %d columns, expected %d" %
                     (part, ws.max_column, len(cols)))
            if self.args.rows_per_sheet and not totals:
                if n > self.args.rows_per_sheet:
                    fail("%s: %d rows, more than %d" %
                         (part, n, self.args.rows_per_sheet))
                if i < len(names) - 1 and n != self.args.rows_per_sheet:
                    fail("%s: %d rows before a continuation" % (part, n))
            self.check_widths(ws, part, cols)
            for r in range(2, n + 2):
                rows.append((ws[r], wsv[r]))
        return rows

    def check_widths(self, ws, part, cols):
        for i, (title, kind) in enumerate(cols):
            letter = get_column_letter(i + 1)
            dim = ws.column_dimensions.get(letter)
            width = dim.width if dim is not None else None
            if not width or width < len(title):
                fail("%s: column %s (%s) is %r wide" %
                     (part, letter, title, width))
                continue
            if kind == "text":
                longest = max([len(str(ws.cell(r, i + 1).value or ""))
                               for r in range(2, ws.max_row + 1)] + [0])
                if width < min(longest, 59):
                    fail("%s: column %s is %r wide for %d characters" %
                         (part, letter, width, longest))

    # Checking cells.

    def cell(self, where, c, kind, want, fill):
        v = c.value
        if want is None:
            if v is not None:
                fail("%s: %r, expected an empty cell" % (where, v))
        elif kind == "text":
            if c.data_type != "s" or v != want:
                fail("%s: %r (%s), expected text %r" %
                     (where, v, c.data_type, want))
        elif kind in ("money", "qty", "int", "id"):
            if kind == "money":
                num, fmt = want / 100, MONEY
            elif kind == "qty":
                num = want / 1000
                fmt = "#,##0" if want % 1000 == 0 else "#,##0.000"
            else:
                num, fmt = want, FORMATS[kind]
            if c.data_type != "n" or isinstance(v, bool) or v != num:
                fail("%s: %r (%s), expected the number %r" %
                     (where, v, c.data_type, num))
            if c.number_format != fmt:
                fail("%s: format %r, expected %r" %
                     (where, c.number_format, fmt))
        elif kind in ("date", "stamp"):
            if kind == "date":
                d = parse_date(want)
                want_dt = datetime.datetime(d.year, d.month, d.day)
            else:
                want_dt = self.local(want)
            if not c.is_date or not isinstance(v, datetime.datetime) or \
                    abs((v - want_dt).total_seconds()) > 0.002:
                fail("%s: %r (%s), expected the date %s" %
                     (where, v, c.data_type, want_dt))
            if c.number_format != FORMATS[kind]:
                fail("%s: format %r, expected %r" %
                     (where, c.number_format, FORMATS[kind]))
        colour = c.fill.fgColor.rgb if c.fill is not None and \
            c.fill.fill_type == "solid" else None
        if want is not None or fill is not None:
            if colour != FILLS[fill]:
                fail("%s: colour %r, expected %r" %
                     (where, colour, FILLS[fill]))

    def row(self, sheet, cols, cells, want, fill=None):
        if len(want) != len(cols):
            raise AssertionError("%s: %d expected values for %d columns" %
                                 (sheet, len(want), len(cols)))
        for i, (title, kind) in enumerate(cols):
            c = cells[i] if i < len(cells) else None
            where = "%s!%s (%s)" % (sheet, c.coordinate if c else "?",
                                    title)
            if c is None:
                fail("%s: missing" % where)
                continue
            self.cell(where, c, kind, want[i], fill)

    def totals(self, sheet, cols, ws_rows, n, sums):
        """The totals row after n data rows: =SUM formulas over them with
        the integer sums as cached values, or zeros without rows."""
        ws, wsv = self.wb[sheet], self.wbv[sheet]
        r = n + 2
        if ws.max_row != r:
            fail("%s: the totals row is not row %d (last row %d)" %
                 (sheet, r, ws.max_row))
        if ws.cell(r, 1).value != "Total" or not ws.cell(r, 1).font.b:
            fail("%s!A%d: %r, expected a bold Total" %
                 (sheet, r, ws.cell(r, 1).value))
        for i, (title, kind) in enumerate(cols):
            if i == 0:
                continue
            c, cv = ws.cell(r, i + 1), wsv.cell(r, i + 1)
            where = "%s!%s (total %s)" % (sheet, c.coordinate, title)
            if i not in sums:
                if c.value is not None:
                    fail("%s: %r, expected empty" % (where, c.value))
                continue
            scale = {"money": 100, "qty": 1000}.get(kind, 1)
            want = sums[i] / scale if scale != 1 else sums[i]
            letter = get_column_letter(i + 1)
            formula = "=SUM(%s2:%s%d)" % (letter, letter, n + 1)
            if n == 0:
                if c.value != 0:
                    fail("%s: %r, expected 0 (no rows)" % (where, c.value))
            elif c.value != formula:
                fail("%s: %r, expected %r" % (where, c.value, formula))
            if cv.value != want:
                fail("%s: cached %r, expected %r" % (where, cv.value, want))
            fmt = MONEY if kind == "money" else FORMATS.get(kind, "#,##0")
            if c.number_format != fmt:
                fail("%s: format %r, expected %r" %
                     (where, c.number_format, fmt))

    # The sheets.

    def summary(self, cols):
        sales = self.q(
            "SELECT business_day, kind, gross, discount, total, vat "
            "FROM sales WHERE business_day BETWEEN ? AND ? ORDER BY id",
            self.day_from, self.day_to)
        pays = self.q(
            "SELECT s.business_day, p.method, p.state, p.amount FROM "
            "payments p JOIN sales s ON s.id = p.sale_id WHERE "
            "s.business_day BETWEEN ? AND ?", self.day_from, self.day_to)
        days = {}
        for day, kind, gross, disc, total, vat in sales:
            d = days.setdefault(day, [0] * 16)
            if kind == "sale":
                d[1] += 1
                d[3] += gross
                d[4] += disc
                d[5] += total
            else:
                d[2] += 1
                d[6] += total
            d[7] += total
            d[8] += vat
            d[9] += total - vat
        for day, method, state, amount in pays:
            d = days[day]
            if state == "paid":
                d[10 + METHODS.index(method)] += amount
            elif state == "pending":
                d[15] += amount
        rows = self.sheet_rows("Summary", cols, True)
        order = sorted(days)
        if len(rows) != len(order):
            fail("Summary: %d days, expected %d" % (len(rows), len(order)))
        sums = {i: 0 for i in range(1, 16)}
        for (cells, _), day in zip(rows, order):
            d = days[day]
            self.row("Summary", cols, cells, [day] + d[1:])
            for i in range(1, 16):
                sums[i] += d[i]
            # The columns add up, in integers.
            if d[3] - d[4] != d[5] or d[5] + d[6] != d[7] or \
                    d[7] - d[8] != d[9]:
                fail("Summary %s: gross, discounts and totals do not add "
                     "up: %r" % (day, d))
            if self.args.fixture and sum(d[10:16]) != d[7]:
                fail("Summary %s: tenders %d do not add up to takings %d" %
                     (day, sum(d[10:16]), d[7]))
        self.totals("Summary", cols, rows, len(order), sums)
        return days

    def receipt(self, till, no):
        return "%.31s-%06d" % (till, no)

    def sales(self, cols):
        data = self.q(
            "SELECT s.till_id, s.receipt_no, s.at, s.business_day, "
            "s.shift_id, s.kind, s.state, o.till_id, o.receipt_no, c.name, "
            "s.user_name, s.gross, s.discount, s.total, s.vat FROM sales s "
            "LEFT JOIN sales o ON o.id = s.refund_of LEFT JOIN customers c "
            "ON c.id = s.customer_id WHERE s.business_day BETWEEN ? AND ? "
            "ORDER BY s.business_day, s.id", self.day_from, self.day_to)
        rows = self.sheet_rows("Sales", cols, False)
        if len(rows) != len(data):
            fail("Sales: %d rows, expected %d" % (len(rows), len(data)))
        for (cells, _), d in zip(rows, data):
            (till, no, at, day, shift, kind, state, otill, ono, cust, user,
             gross, disc, total, vat) = d
            self.row("Sales", cols, cells, [
                self.receipt(till, no), at, day, till, shift,
                KIND_LABELS[kind], STATE_LABELS[state],
                self.receipt(otill, ono) if otill is not None else None,
                cust, user or None, gross, disc, total, vat, total - vat],
                None if state == "completed" else "low")
        return data

    def lines(self, cols):
        data = self.q(
            "SELECT s.till_id, s.receipt_no, s.business_day, l.line_no, "
            "l.sku, l.name, l.unit, l.tax_class, l.qty, l.shelf_price, "
            "l.unit_price, l.line_discount, l.sale_discount, l.amount, "
            "l.vat FROM sales s JOIN sale_lines l ON l.sale_id = s.id "
            "WHERE s.business_day BETWEEN ? AND ? "
            "ORDER BY s.business_day, s.id, l.line_no",
            self.day_from, self.day_to)
        rows = self.sheet_rows("Sale lines", cols, False)
        if len(rows) != len(data):
            fail("Sale lines: %d rows, expected %d" %
                 (len(rows), len(data)))
        for (cells, _), d in zip(rows, data):
            (till, no, day, line, sku, name, unit, tax, qty, shelf, price,
             ldisc, sdisc, amount, vat) = d
            self.row("Sale lines", cols, cells, [
                self.receipt(till, no), day, line, sku, name, unit,
                TAX_LABELS[tax], qty, shelf, price, ldisc, sdisc, amount,
                vat, amount - vat])
        return data

    def payments(self, cols):
        data = self.q(
            "SELECT s.till_id, s.receipt_no, s.business_day, p.created_at, "
            "p.method, p.state, p.amount, p.tendered, p.change_due, "
            "p.reference, p.verified, p.phone, c.name, p.updated_at "
            "FROM sales s JOIN payments p ON p.sale_id = s.id LEFT JOIN "
            "customers c ON c.id = p.customer_id WHERE s.business_day "
            "BETWEEN ? AND ? ORDER BY s.business_day, s.id, p.id",
            self.day_from, self.day_to)
        rows = self.sheet_rows("Payments", cols, False)
        if len(rows) != len(data):
            fail("Payments: %d rows, expected %d" % (len(rows), len(data)))
        for (cells, _), d in zip(rows, data):
            (till, no, day, at, method, state, amount, tendered, change,
             ref, verified, phone, cust, updated) = d
            proof = None
            if ref and method == "mpesa":
                proof = "confirmed" if verified else \
                    "keyed in, not confirmed"
            fill = None if state == "paid" else \
                "low" if state == "pending" else "out"
            self.row("Payments", cols, cells, [
                self.receipt(till, no), day, at, METHOD_LABELS[method],
                STATE_LABELS[state], amount, tendered, change, ref or None,
                proof, phone or None, cust, updated], fill)
        return data

    def status(self, qty, level, batches):
        """Flags of a product as inventory.c defines them."""
        flags = set()
        if level > 0 and 0 < qty <= level:
            flags.add("low")
        if qty <= 0:
            flags.add("out")
        for exp in batches:
            days = (parse_date(exp) - self.today).days
            if days < 0:
                flags.add("expired")
            elif days <= self.args.near_days:
                flags.add("expiring")
        for f in ("expired", "out", "expiring", "low"):
            if f in flags:
                return f
        return None

    def stock(self, cols):
        data = self.q(
            "SELECT p.id, p.sku, p.name, coalesce(c.name, ''), p.unit, "
            "p.stock_qty, p.reorder_level, p.price, p.cost FROM products p "
            "LEFT JOIN categories c ON c.id = p.category_id WHERE "
            "p.active = 1 ORDER BY p.name COLLATE NOCASE, p.id")
        rows = self.sheet_rows("Stock on hand", cols, True)
        if len(rows) != len(data):
            fail("Stock on hand: %d rows, expected %d" %
                 (len(rows), len(data)))
        labels = {None: "OK", "low": "Low", "out": "Out",
                  "expiring": "Expiring", "expired": "Expired"}
        sums = {9: 0, 10: 0}
        statuses = {}
        for (cells, _), d in zip(rows, data):
            pid, sku, name, cat, unit, qty, level, price, cost = d
            exps = [e for (e,) in self.q(
                "SELECT expiry_date FROM batches WHERE product_id = ? AND "
                "qty_remaining > 0 AND expiry_date IS NOT NULL", pid)]
            st = self.status(qty, level, exps)
            statuses[sku] = st
            vc = mul_qty(cost, qty) if qty > 0 else 0
            vp = mul_qty(price, qty) if qty > 0 else 0
            sums[9] += vc
            sums[10] += vp
            self.row("Stock on hand", cols, cells, [
                sku, name, cat or None, unit, qty, level, labels[st], cost,
                price, vc, vp, min(exps) if exps else None], st)
        self.totals("Stock on hand", cols, rows, len(data), sums)
        return statuses

    def expiry(self, cols):
        data = self.q(
            "SELECT b.expiry_date, p.sku, p.name, b.batch_no, "
            "b.received_date, b.qty_remaining, b.unit_cost FROM batches b "
            "JOIN products p ON p.id = b.product_id WHERE b.qty_remaining "
            "> 0 AND b.expiry_date IS NOT NULL ORDER BY b.expiry_date, b.id")
        rows = self.sheet_rows("Expiry", cols, True)
        if len(rows) != len(data):
            fail("Expiry: %d rows, expected %d" % (len(rows), len(data)))
        sums = {9: 0}
        for (cells, _), d in zip(rows, data):
            exp, sku, name, batch, received, qty, cost = d
            days = (parse_date(exp) - self.today).days
            st = "expired" if days < 0 else \
                "expiring" if days <= self.args.near_days else None
            value = mul_qty(cost, qty)
            sums[9] += value
            self.row("Expiry", cols, cells, [
                exp, days, {"expired": "Expired", "expiring": "Expiring",
                            None: "OK"}[st], sku, name, batch or None,
                received, qty, cost, value], st)
        self.totals("Expiry", cols, rows, len(data), sums)

    def moves(self, cols):
        data = self.q(
            "SELECT m.at, p.sku, p.name, m.reason, m.qty, m.unit_cost, "
            "m.unit_price, b.batch_no, b.expiry_date, m.reference, "
            "m.user_name, m.note FROM stock_movements m JOIN products p ON "
            "p.id = m.product_id LEFT JOIN batches b ON b.id = m.batch_id "
            "WHERE m.at >= ? AND m.at < ? ORDER BY m.at, m.id",
            self.ts_from, self.ts_to)
        rows = self.sheet_rows("Stock movements", cols, False)
        if len(rows) != len(data):
            fail("Stock movements: %d rows, expected %d" %
                 (len(rows), len(data)))
        for (cells, _), d in zip(rows, data):
            at, sku, name, reason, qty, cost, price, batch, exp, ref, user, \
                note = d
            self.row("Stock movements", cols, cells, [
                at, sku, name, REASON_LABELS[reason], qty, cost,
                mul_qty(cost, qty), price, batch or None, exp, ref or None,
                user or None, note or None])
        return data

    def reorder(self, cols):
        rows = self.sheet_rows("Reorder suggestions", cols, False)
        for cells, _ in rows:
            sku = cells[0].value
            found = self.q("SELECT stock_qty, pack_size, reorder_date FROM "
                           "products WHERE sku = ?", sku)
            if not found:
                fail("Reorder suggestions: unknown SKU %r" % sku)
                continue
            qty, pack, rdate = found[0]
            fill = "out" if qty <= 0 else "low"
            for i, (title, kind) in enumerate(cols):
                where = "Reorder suggestions!%s (%s)" % (
                    cells[i].coordinate, title)
                if i == 3:
                    self.cell(where, cells[i], kind, qty, fill)
                elif i == 8:
                    self.cell(where, cells[i], kind, pack, fill)
                elif i == 9:
                    self.cell(where, cells[i], kind, rdate or None, fill)
                elif kind in ("qty", "int") and (
                        cells[i].data_type != "n" or cells[i].value is None):
                    fail("%s: %r is not a number" % (where, cells[i].value))
        return rows

    def alerts(self, cols):
        rows = self.sheet_rows("Alerts", cols, False)
        kinds = ("voids", "refunds", "discount", "no-sale", "lockout")
        for cells, _ in rows:
            where = "Alerts!%s" % cells[0].coordinate
            if cells[0].value not in kinds:
                fail("%s: unknown alert %r" % (where, cells[0].value))
            if cells[3].data_type != "n" or not cells[3].value:
                fail("%s: no count" % where)
            if not cells[6].value:
                fail("%s: no words" % where)
        return rows

    def shifts(self, cols):
        data = self.q(
            "SELECT id, till_id, state, z_number, opened_at, closed_at, "
            "opened_by, closed_by, float_cash, expected_cash, counted_cash "
            "FROM shifts WHERE opened_at < ? AND (closed_at IS NULL OR "
            "closed_at >= ?) ORDER BY opened_at, id", self.ts_to,
            self.ts_from)
        rows = self.sheet_rows("Shifts (X and Z)", cols, False)
        if len(rows) != len(data):
            fail("Shifts: %d rows, expected %d" % (len(rows), len(data)))
        for (cells, _), d in zip(rows, data):
            (sid, till, state, z, opened, closed, oby, cby, flt, expected,
             counted) = d
            sales = self.q("SELECT kind, shelf_gross, discount, total FROM "
                           "sales WHERE shift_id = ?", sid)
            n_sales = sum(1 for s in sales if s[0] == "sale")
            n_refunds = len(sales) - n_sales
            gross = sum(s[1] for s in sales if s[0] == "sale")
            disc = sum(s[2] for s in sales if s[0] == "sale")
            st = sum(s[3] for s in sales if s[0] == "sale")
            rt = sum(s[3] for s in sales if s[0] == "refund")
            by = {m: 0 for m in METHODS}
            pending = 0
            for method, pstate, amount in self.q(
                    "SELECT p.method, p.state, p.amount FROM payments p "
                    "JOIN sales s ON s.id = p.sale_id WHERE s.shift_id = ?",
                    sid):
                if pstate == "paid":
                    by[method] += amount
                elif pstate == "pending":
                    pending += amount
            cash = {k: (n, a) for k, n, a in self.q(
                "SELECT kind, count(*), sum(amount) FROM cash_movements "
                "WHERE shift_id = ? GROUP BY kind", sid)}
            voids = self.q("SELECT count(*), coalesce(sum(amount), 0) FROM "
                           "line_voids WHERE shift_id = ?", sid)[0]
            if state == "open":
                expected = flt + by["cash"] + cash.get("pay_in", (0, 0))[1] \
                    - cash.get("pay_out", (0, 0))[1]
            diff = counted - expected if state == "closed" else None
            fill = None
            if diff is not None and diff < 0:
                fill = "out"
            elif diff is not None and diff > 0:
                fill = "low"
            self.row("Shifts (X and Z)", cols, cells, [
                till, "Z" if state == "closed" else "X", z, opened, closed,
                oby or None, cby or None, flt, n_sales, n_refunds, gross,
                disc, st, rt, st + rt, by["cash"], by["mpesa"], by["card"],
                by["bank"], by["account"], pending,
                cash.get("pay_in", (0, 0))[1], cash.get("pay_out", (0, 0))[1],
                cash.get("no_sale", (0, 0))[0], voids[0], voids[1], expected,
                counted if state == "closed" else None, diff], fill)
        return data

    def run(self):
        names = [s[0] for s in SHEETS]
        got = [n for n in self.wb.sheetnames]
        base = [n for n in got if not n.endswith(")") or
                n == "Shifts (X and Z)"]
        if base != names:
            fail("sheets %r, expected %r" % (got, names))
        if self.wb.active.title != "Summary":
            fail("the active sheet is %r" % self.wb.active.title)
        if not self.args.rows_per_sheet and got != names:
            fail("sheets %r, expected %r" % (got, names))
        cols = {s[0]: s[1] for s in SHEETS}
        found = {}
        found["days"] = self.summary(cols["Summary"])
        found["sales"] = self.sales(cols["Sales"])
        found["lines"] = self.lines(cols["Sale lines"])
        found["payments"] = self.payments(cols["Payments"])
        self.sheet_rows("M-PESA", cols["M-PESA"], False)
        found["statuses"] = self.stock(cols["Stock on hand"])
        self.expiry(cols["Expiry"])
        found["moves"] = self.moves(cols["Stock movements"])
        found["reorder"] = self.reorder(cols["Reorder suggestions"])
        found["alerts"] = self.alerts(cols["Alerts"])
        found["shifts"] = self.shifts(cols["Shifts (X and Z)"])
        if self.args.rows_per_sheet:
            for name in ("Sales", "Sale lines", "Stock movements"):
                if len(self.parts(name, True)) < 2:
                    fail("%s was not continued" % name)
        if self.args.expect_empty:
            self.expect_empty(found)
        if self.args.fixture:
            self.fixture(found)

    def expect_empty(self, found):
        for what in ("days", "sales", "lines", "payments", "moves"):
            if found[what]:
                fail("the range should have no %s" % what)
        if self.wb["Summary"].max_row != 2:
            fail("Summary: expected the header and the totals row only")

    def fixture(self, found):
        """Facts of check_export.c's shop, worked out by hand."""
        days = found["days"]
        want_days = [d for d in ("2026-06-13", "2026-06-14", "2026-06-15")
                     if self.day_from <= d <= self.day_to]
        if sorted(days) != want_days:
            fail("fixture: days %r, expected %r" % (sorted(days), want_days))
        hand = {
            # sales, refunds, takings, cash, mpesa, card, account, pending
            "2026-06-13": (3, 0, 57850, 35500, 10000, 12350, 0, 0),
            "2026-06-14": (2, 1, 9000, -15000, 0, 0, 15000, 9000),
            "2026-06-15": (1, 0, 2750, 2750, 0, 0, 0, 0),
        }
        for day in want_days:
            d = days.get(day)
            if d is None:
                continue
            got = (d[1], d[2], d[7], d[10], d[11], d[12], d[14], d[15])
            if got != hand[day]:
                fail("fixture %s: %r, expected %r" % (day, got, hand[day]))
        wanted = {"SUG1": None, "RICE": None, "TEA": None, "SOAP": "low",
                  "BREAD": "out", "MILK": "expiring", "YOG1": "expired"}
        if found["statuses"] != wanted:
            fail("fixture: statuses %r, expected %r" %
                 (found["statuses"], wanted))
        ws = self.wb["Stock on hand"]
        tea = [r for r in ws.iter_rows(min_row=2) if r[0].value == "TEA"]
        if not tea or tea[0][1].value != "Chai \u00e0 la maison 100g":
            fail("fixture: the UTF-8 name of TEA did not come back")
        rice = [r for r in ws.iter_rows(min_row=2) if r[0].value == "RICE"]
        if not rice or rice[0][4].value != 49.25 or \
                rice[0][4].number_format != "#,##0.000":
            fail("fixture: 49.25 kg of rice is %r" %
                 (rice[0][4].value if rice else None))
        # The moves of the range, by local time: the damage at 00:30 on
        # the 13th is the first; the 00:30 sale on the 15th is the 15th's.
        moves = found["moves"]
        reasons = [(self.local(m[0]).strftime("%Y-%m-%d %H:%M"), m[1], m[3])
                   for m in moves]
        dmg = ("2026-06-13 00:30", "SUG1", "damage")
        late = ("2026-06-15 00:30", "RICE", "sale")
        if ("2026-06-13" in want_days) != (dmg in reasons):
            fail("fixture: the 00:30 damage is wrongly in or out: %r" %
                 reasons)
        if ("2026-06-15" in want_days) != (late in reasons):
            fail("fixture: the 00:30 sale is wrongly in or out: %r" %
                 reasons)
        if "2026-06-13" in want_days:
            sh = found["shifts"]
            if not sh or sh[0][3] != 1 or sh[0][10] - sh[0][9] != -5000:
                fail("fixture: the first shift is not Z 1, 50.00 short")
            pay = [p for p in found["payments"] if p[4] == "mpesa" and
                   p[5] == "paid"]
            if not pay or pay[0][9] != "QKT5ABC1XY":
                fail("fixture: the M-PESA receipt number is missing")
        if "2026-06-14" in want_days:
            if not any(s[6] == "awaiting_payment" for s in found["sales"]):
                fail("fixture: the sale awaiting M-PESA is missing")
            if not any(s[5] == "refund" for s in found["sales"]):
                fail("fixture: the refund is missing")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("xlsx")
    ap.add_argument("db")
    ap.add_argument("--today", required=True)
    ap.add_argument("--tz", required=True)
    ap.add_argument("--near-days", type=int, default=30)
    ap.add_argument("--from", dest="date_from")
    ap.add_argument("--to", dest="date_to")
    ap.add_argument("--rows-per-sheet", type=int, default=0)
    ap.add_argument("--fixture", action="store_true")
    ap.add_argument("--expect-empty", action="store_true")
    args = ap.parse_args()
    Checker(args).run()
    for f in failures[:50]:
        print("export_check: " + f, file=sys.stderr)
    if len(failures) > 50:
        print("export_check: ... and %d more" % (len(failures) - 50),
              file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
