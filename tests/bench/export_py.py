#!/usr/bin/python3
"""export_py.py DB OUT.xlsx ZONE TODAY - the workbook of "duka export",
written with Debian's python3-xlsxwriter, for bench_export to compare.

Run with /usr/bin/python3 (the python3 first on PATH may lack xlsxwriter).
It writes the same sheets as src/export.c, in the same order, with the
same rows, cell types, number formats, row colours, frozen headers,
autofilters, column widths and totals rows, in XlsxWriter's
constant_memory mode, reading the database with the same statements.
Two sheets take a shortcut, as they are a few hundred rows: "Reorder
suggestions" lists the products at or below their reorder level (duka's
reorder.c works out lead times and sales rates), and "Shifts (X and Z)"
adds up each shift with a few queries instead of shift_report.
"""
import datetime
import os
import sqlite3
import sys
import zoneinfo

import xlsxwriter

MONEY = '"KSh "#,##0.00;"KSh "-#,##0.00'
FORMATS = {"text": None, "int": "#,##0", "id": "0", "money": MONEY,
           "qty": "#,##0", "qty3": "#,##0.000", "date": "dd/mm/yyyy",
           "stamp": "dd/mm/yyyy hh:mm"}
WIDTHS = {"text": 6, "int": 8, "id": 7, "money": 16, "qty": 10, "qty3": 10,
          "date": 11, "stamp": 17}
FILLS = {None: None, "low": (0xFFEB9C, 0x9C5700),
         "out": (0xFFC7CE, 0x9C0006), "expiring": (0xFCE4D6, 0x833C0B),
         "expired": (0xC00000, 0xFFFFFF)}
METHOD_LABELS = {"cash": "Cash", "mpesa": "M-PESA", "card": "Card",
                 "bank": "Bank transfer", "account": "On account"}
STATE_LABELS = {"completed": "completed",
                "awaiting_payment": "awaiting payment", "paid": "paid",
                "pending": "pending", "failed": "failed",
                "cancelled": "cancelled"}
TAX_LABELS = {"standard": "standard (16%)", "zero": "zero rated",
              "exempt": "exempt"}
REASON_LABELS = {"receive": "received", "sale": "sale", "return": "return",
                 "damage": "damaged", "expiry": "expired",
                 "count": "stock count", "transfer": "transfer",
                 "correction": "correction"}
ROW_MAX = 1048575


class Book:
    def __init__(self, path, zone):
        self.wb = xlsxwriter.Workbook(path, {
            "constant_memory": True,
            "tmpdir": os.path.dirname(os.path.abspath(path))})
        self.zone = zoneinfo.ZoneInfo(zone)
        self.fmt = {}
        for fill, colours in FILLS.items():
            for kind, nf in FORMATS.items():
                props = {}
                if nf:
                    props["num_format"] = nf
                if colours:
                    props.update({"pattern": 1,
                                  "bg_color": "#%06X" % colours[0],
                                  "font_color": "#%06X" % colours[1]})
                self.fmt[fill, kind] = self.wb.add_format(props)
        self.total = {}
        for kind, nf in FORMATS.items():
            props = {"bold": True, "top": 1}
            if nf:
                props["num_format"] = nf
            self.total[kind] = self.wb.add_format(props)
        self.header = self.wb.add_format({"bold": True, "pattern": 1,
                                          "bg_color": "#D9E1F2",
                                          "bottom": 1})

    def local(self, stamp):
        t = datetime.datetime.strptime(stamp[:19], "%Y-%m-%dT%H:%M:%S")
        ms = int(stamp[20:23]) if stamp[19:20] == "." else 0
        t = t.replace(tzinfo=datetime.timezone.utc, microsecond=ms * 1000)
        return t.astimezone(self.zone).replace(tzinfo=None)


class Sheet:
    def __init__(self, book, name, cols, one_part=False):
        self.b = book
        self.name = name
        self.cols = cols
        self.one_part = one_part
        self.part = 1
        self.begin()

    def begin(self):
        name = self.name if self.part == 1 else \
            "%s (%d)" % (self.name[:24], self.part)
        self.ws = self.b.wb.add_worksheet(name)
        self.row = 0
        self.width = []
        self.sums = [0] * len(self.cols)
        for c, (title, kind) in enumerate(self.cols):
            self.width.append(max(len(title) + 3, WIDTHS[kind]))
            self.ws.write_string(0, c, title, self.b.header)
        self.ws.freeze_panes(1, 0)

    def end_part(self):
        for c, w in enumerate(self.width):
            self.ws.set_column(c, c, min(w, 60))
        self.ws.autofilter(0, 0, self.row, len(self.cols) - 1)

    def next_row(self, fill=None):
        if not self.one_part and self.row >= ROW_MAX:
            self.end_part()
            self.part += 1
            self.begin()
        self.row += 1
        self.fill = fill

    def fit(self, c, n):
        if n + 1 > self.width[c]:
            self.width[c] = n + 1

    def blank(self, c):
        if self.fill:
            self.ws.write_blank(self.row, c, None,
                                self.b.fmt[self.fill, "text"])

    def text(self, c, s):
        if not s:
            self.blank(c)
            return
        self.fit(c, len(s))
        self.ws.write_string(self.row, c, s, self.b.fmt[self.fill, "text"])

    def int(self, c, v):
        self.sums[c] += v
        self.ws.write_number(self.row, c, v,
                             self.b.fmt[self.fill, self.cols[c][1]])

    def money(self, c, cents):
        if cents is None:
            self.blank(c)
            return
        self.sums[c] += cents
        self.ws.write_number(self.row, c, cents / 100,
                             self.b.fmt[self.fill, "money"])

    def qty(self, c, t):
        self.sums[c] += t
        self.ws.write_number(self.row, c, t / 1000, self.b.fmt[
            self.fill, "qty" if t % 1000 == 0 else "qty3"])

    def date(self, c, d):
        if not d:
            self.blank(c)
            return
        self.ws.write_datetime(
            self.row, c, datetime.datetime(int(d[:4]), int(d[5:7]),
                                           int(d[8:10])),
            self.b.fmt[self.fill, "date"])

    def stamp(self, c, s):
        if not s:
            self.blank(c)
            return
        self.ws.write_datetime(self.row, c, self.b.local(s),
                               self.b.fmt[self.fill, "stamp"])

    def end(self, totals=()):
        self.end_part()
        if totals:
            r = self.row + 1
            self.ws.write_string(r, 0, "Total", self.b.total["text"])
            for c in range(1, len(self.cols)):
                kind = self.cols[c][1]
                if c not in totals:
                    self.ws.write_blank(r, c, None, self.b.total["text"])
                    continue
                scale = {"money": 100, "qty": 1000}.get(kind, 1)
                v = self.sums[c] / scale if scale != 1 else self.sums[c]
                if self.row == 0:
                    self.ws.write_number(r, c, 0, self.b.total[kind])
                    continue
                letter = xlsxwriter.utility.xl_col_to_name(c)
                self.ws.write_formula(r, c, "=SUM(%s2:%s%d)" % (
                    letter, letter, self.row + 1), self.b.total[kind], v)


def receipt(till, no):
    return "%.31s-%06d" % (till, no)


def summary(book, db):
    cols = [("Business day", "date"), ("Sales", "int"), ("Refunds", "int")]
    cols += [(t, "money") for t in (
        "Gross", "Discounts", "Sales total", "Refunds total", "Takings",
        "VAT", "Net of VAT", "Cash", "M-PESA", "Card", "Bank transfer",
        "On account", "Pending")]
    s = Sheet(book, "Summary", cols, one_part=True)
    paid = ", ".join(
        "sum(CASE WHEN p.state = 'paid' AND p.method = '%s' THEN p.amount "
        "ELSE 0 END)" % m for m in ("cash", "mpesa", "card", "bank",
                                    "account"))
    sql = (
        "WITH s AS (SELECT business_day AS d, sum(kind = 'sale') AS sales, "
        "sum(kind = 'refund') AS refunds, "
        "sum(CASE WHEN kind = 'sale' THEN gross ELSE 0 END) AS gross, "
        "sum(CASE WHEN kind = 'sale' THEN discount ELSE 0 END) AS discount, "
        "sum(CASE WHEN kind = 'sale' THEN total ELSE 0 END) AS st, "
        "sum(CASE WHEN kind = 'refund' THEN total ELSE 0 END) AS rt, "
        "sum(total) AS takings, sum(vat) AS vat FROM sales "
        "GROUP BY business_day), "
        "p AS (SELECT s.business_day AS d, " + paid + ", "
        "sum(CASE WHEN p.state = 'pending' THEN p.amount ELSE 0 END) "
        "FROM sales s JOIN payments p ON p.sale_id = s.id "
        "GROUP BY s.business_day) "
        "SELECT * FROM s LEFT JOIN p USING (d) ORDER BY d")
    for r in db.execute(sql):
        s.next_row()
        s.date(0, r[0])
        s.int(1, r[1])
        s.int(2, r[2])
        vals = list(r[3:9]) + [r[7] - r[8]] + [v or 0 for v in r[9:15]]
        for c, v in enumerate(vals, start=3):
            s.money(c, v)
    s.end(totals=range(1, 16))


def sales(book, db):
    cols = [("Receipt", "text"), ("Date and time", "stamp"),
            ("Business day", "date"), ("Till", "text"), ("Shift", "id"),
            ("Kind", "text"), ("State", "text"), ("Refund of", "text"),
            ("Customer", "text"), ("Cashier", "text"), ("Gross", "money"),
            ("Discount", "money"), ("Total", "money"), ("VAT", "money"),
            ("Net of VAT", "money")]
    s = Sheet(book, "Sales", cols)
    for r in db.execute(
            "SELECT s.till_id, s.receipt_no, s.at, s.business_day, "
            "s.shift_id, s.kind, s.state, o.till_id, o.receipt_no, c.name, "
            "s.user_name, s.gross, s.discount, s.total, s.vat FROM sales s "
            "LEFT JOIN sales o ON o.id = s.refund_of LEFT JOIN customers c "
            "ON c.id = s.customer_id ORDER BY s.business_day, s.id"):
        s.next_row(None if r[6] == "completed" else "low")
        s.text(0, receipt(r[0], r[1]))
        s.stamp(1, r[2])
        s.date(2, r[3])
        s.text(3, r[0])
        s.int(4, r[4])
        s.text(5, r[5])
        s.text(6, STATE_LABELS[r[6]])
        s.text(7, receipt(r[7], r[8]) if r[7] is not None else None)
        s.text(8, r[9])
        s.text(9, r[10])
        s.money(10, r[11])
        s.money(11, r[12])
        s.money(12, r[13])
        s.money(13, r[14])
        s.money(14, r[13] - r[14])
    s.end()


def lines(book, db):
    cols = [("Receipt", "text"), ("Business day", "date"), ("Line", "id"),
            ("SKU", "text"), ("Product", "text"), ("Unit", "text"),
            ("Tax class", "text"), ("Quantity", "qty"),
            ("Shelf price", "money"), ("Unit price", "money"),
            ("Line discount", "money"), ("Sale discount", "money"),
            ("Amount", "money"), ("VAT", "money"), ("Net of VAT", "money")]
    s = Sheet(book, "Sale lines", cols)
    last, text = None, None
    for r in db.execute(
            "SELECT s.id, s.till_id, s.receipt_no, s.business_day, "
            "l.line_no, l.sku, l.name, l.unit, l.tax_class, l.qty, "
            "l.shelf_price, l.unit_price, l.line_discount, l.sale_discount, "
            "l.amount, l.vat FROM sales s JOIN sale_lines l ON "
            "l.sale_id = s.id ORDER BY s.business_day, s.id, l.line_no"):
        s.next_row()
        if r[0] != last:
            last, text = r[0], receipt(r[1], r[2])
        s.text(0, text)
        s.date(1, r[3])
        s.int(2, r[4])
        s.text(3, r[5])
        s.text(4, r[6])
        s.text(5, r[7])
        s.text(6, TAX_LABELS[r[8]])
        s.qty(7, r[9])
        for c in range(8, 14):
            s.money(c, r[c + 2])
        s.money(14, r[14] - r[15])
    s.end()


def payments(book, db):
    cols = [("Receipt", "text"), ("Business day", "date"),
            ("Date and time", "stamp"), ("Method", "text"),
            ("State", "text"), ("Amount", "money"), ("Tendered", "money"),
            ("Change", "money"), ("M-PESA receipt or reference", "text"),
            ("Proof", "text"), ("Phone", "text"), ("Customer", "text"),
            ("Last changed", "stamp")]
    s = Sheet(book, "Payments", cols)
    for r in db.execute(
            "SELECT s.id, s.till_id, s.receipt_no, s.business_day, "
            "p.created_at, p.method, p.state, p.amount, p.tendered, "
            "p.change_due, p.reference, p.verified, p.phone, c.name, "
            "p.updated_at FROM sales s JOIN payments p ON p.sale_id = s.id "
            "LEFT JOIN customers c ON c.id = p.customer_id "
            "ORDER BY s.business_day, s.id, p.id"):
        state = r[6]
        s.next_row(None if state == "paid" else
                   "low" if state == "pending" else "out")
        s.text(0, receipt(r[1], r[2]))
        s.date(1, r[3])
        s.stamp(2, r[4])
        s.text(3, METHOD_LABELS[r[5]])
        s.text(4, STATE_LABELS[state])
        s.money(5, r[7])
        s.money(6, r[8])
        s.money(7, r[9])
        s.text(8, r[10])
        s.text(9, ("confirmed" if r[11] else "keyed in, not confirmed")
               if r[5] == "mpesa" and r[10] else None)
        s.text(10, r[12])
        s.text(11, r[13])
        s.stamp(12, r[14])
    s.end()


def stock(book, db, today, near):
    cols = [("SKU", "text"), ("Product", "text"), ("Category", "text"),
            ("Unit", "text"), ("On hand", "qty"), ("Reorder level", "qty"),
            ("Status", "text"), ("Cost", "money"), ("Price", "money"),
            ("Value at cost", "money"), ("Value at price", "money"),
            ("Next expiry", "date")]
    s = Sheet(book, "Stock on hand", cols, one_part=True)
    last = (datetime.date.fromisoformat(today) +
            datetime.timedelta(days=near)).isoformat()
    value = ("CASE WHEN p.stock_qty > 0 THEN %s * (p.stock_qty / 1000) + "
             "(%s * (p.stock_qty %% 1000) + 500) / 1000 ELSE 0 END")
    for r in db.execute(
            "SELECT p.sku, p.name, coalesce(c.name, ''), p.unit, "
            "p.stock_qty, p.reorder_level, p.cost, p.price, " +
            value % ("p.cost", "p.cost") + ", " +
            value % ("p.price", "p.price") + ", b.next, "
            "coalesce(b.expired, 0), coalesce(b.near, 0) FROM products p "
            "LEFT JOIN categories c ON c.id = p.category_id LEFT JOIN "
            "(SELECT product_id, min(expiry_date) AS next, "
            "sum(expiry_date < ?1) AS expired, sum(expiry_date >= ?1 AND "
            "expiry_date <= ?2) AS near FROM batches WHERE qty_remaining > 0 "
            "AND expiry_date IS NOT NULL GROUP BY product_id) b ON "
            "b.product_id = p.id WHERE p.active = 1 "
            "ORDER BY p.name COLLATE NOCASE, p.id", (today, last)):
        qty, level = r[4], r[5]
        if r[11]:
            st = "expired"
        elif qty <= 0:
            st = "out"
        elif r[12]:
            st = "expiring"
        elif level > 0 and qty <= level:
            st = "low"
        else:
            st = None
        s.next_row(st)
        s.text(0, r[0])
        s.text(1, r[1])
        s.text(2, r[2])
        s.text(3, r[3])
        s.qty(4, qty)
        s.qty(5, level)
        s.text(6, {None: "OK", "low": "Low", "out": "Out",
                   "expiring": "Expiring", "expired": "Expired"}[st])
        s.money(7, r[6])
        s.money(8, r[7])
        s.money(9, r[8])
        s.money(10, r[9])
        s.date(11, r[10])
    s.end(totals=(9, 10))


def mul_qty(unit, qty):
    p = unit * qty
    return (1 if p >= 0 else -1) * ((abs(p) + 500) // 1000)


def expiry(book, db, today, near):
    cols = [("Expiry date", "date"), ("Days left", "int"),
            ("Status", "text"), ("SKU", "text"), ("Product", "text"),
            ("Batch", "text"), ("Received", "date"), ("Quantity", "qty"),
            ("Unit cost", "money"), ("Value at cost", "money")]
    s = Sheet(book, "Expiry", cols, one_part=True)
    t = datetime.date.fromisoformat(today)
    for r in db.execute(
            "SELECT b.expiry_date, p.sku, p.name, b.batch_no, "
            "b.received_date, b.qty_remaining, b.unit_cost FROM batches b "
            "JOIN products p ON p.id = b.product_id WHERE b.qty_remaining "
            "> 0 AND b.expiry_date IS NOT NULL ORDER BY b.expiry_date, b.id"):
        days = (datetime.date.fromisoformat(r[0]) - t).days
        st = "expired" if days < 0 else "expiring" if days <= near else None
        s.next_row(st)
        s.date(0, r[0])
        s.int(1, days)
        s.text(2, {"expired": "Expired", "expiring": "Expiring",
                   None: "OK"}[st])
        s.text(3, r[1])
        s.text(4, r[2])
        s.text(5, r[3])
        s.date(6, r[4])
        s.qty(7, r[5])
        s.money(8, r[6])
        s.money(9, mul_qty(r[6], r[5]))
    s.end(totals=(9,))


def moves(book, db):
    cols = [("Date and time", "stamp"), ("SKU", "text"), ("Product", "text"),
            ("Reason", "text"), ("Quantity", "qty"), ("Unit cost", "money"),
            ("Value at cost", "money"), ("Unit price", "money"),
            ("Batch", "text"), ("Batch expiry", "date"),
            ("Reference", "text"), ("User", "text"), ("Note", "text")]
    s = Sheet(book, "Stock movements", cols)
    for r in db.execute(
            "SELECT m.at, p.sku, p.name, m.reason, m.qty, m.unit_cost, "
            "m.unit_price, b.batch_no, b.expiry_date, m.reference, "
            "m.user_name, m.note FROM stock_movements m JOIN products p ON "
            "p.id = m.product_id LEFT JOIN batches b ON b.id = m.batch_id "
            "ORDER BY m.at, m.id"):
        s.next_row()
        s.stamp(0, r[0])
        s.text(1, r[1])
        s.text(2, r[2])
        s.text(3, REASON_LABELS[r[3]])
        s.qty(4, r[4])
        s.money(5, r[5])
        s.money(6, mul_qty(r[5], r[4]))
        s.money(7, r[6])
        s.text(8, r[7])
        s.date(9, r[8])
        s.text(10, r[9])
        s.text(11, r[10])
        s.text(12, r[11])
    s.end()


def reorder(book, db):
    cols = [("SKU", "text"), ("Product", "text"), ("Supplier", "text"),
            ("On hand", "qty"), ("On order", "qty"), ("Sold a day", "qty"),
            ("Lead time (days)", "int"), ("Suggested order", "qty"),
            ("Pack size", "qty"), ("Reorder date", "date"), ("Due", "text")]
    s = Sheet(book, "Reorder suggestions", cols)
    for r in db.execute(
            "SELECT p.sku, p.name, coalesce(s.name, ''), p.stock_qty, "
            "p.reorder_qty, p.pack_size, p.lead_time_days, p.reorder_date "
            "FROM products p LEFT JOIN suppliers s ON s.id = p.supplier_id "
            "WHERE p.active = 1 AND p.stock_qty <= p.reorder_level "
            "ORDER BY s.name IS NULL, s.name, p.name"):
        s.next_row("out" if r[3] <= 0 else "low")
        s.text(0, r[0])
        s.text(1, r[1])
        s.text(2, r[2])
        s.qty(3, r[3])
        s.qty(4, 0)
        s.qty(5, 0)
        s.int(6, r[6])
        s.qty(7, max(r[4], r[5]))
        s.qty(8, r[5])
        s.date(9, r[7])
        s.text(10, None)
    s.end()


def shifts(book, db):
    cols = [("Till", "text"), ("Report", "text"), ("Z number", "id"),
            ("Opened", "stamp"), ("Closed", "stamp"), ("Opened by", "text"),
            ("Closed by", "text"), ("Float", "money"), ("Sales", "int"),
            ("Refunds", "int")]
    cols += [(t, "money") for t in (
        "Gross", "Discounts", "Sales total", "Refunds total", "Net total",
        "Cash", "M-PESA", "Card", "Bank transfer", "On account", "Pending",
        "Paid in", "Paid out")]
    cols += [("No sales", "int"), ("Voids", "int"), ("Voids total", "money"),
             ("Expected cash", "money"), ("Counted cash", "money"),
             ("Difference", "money")]
    s = Sheet(book, "Shifts (X and Z)", cols)
    for sh in db.execute(
            "SELECT id, till_id, state, z_number, opened_at, closed_at, "
            "opened_by, closed_by, float_cash, expected_cash, counted_cash "
            "FROM shifts ORDER BY opened_at, id").fetchall():
        sid = sh[0]
        k = db.execute(
            "SELECT sum(kind = 'sale'), sum(kind = 'refund'), "
            "sum(CASE WHEN kind = 'sale' THEN shelf_gross ELSE 0 END), "
            "sum(CASE WHEN kind = 'sale' THEN discount ELSE 0 END), "
            "sum(CASE WHEN kind = 'sale' THEN total ELSE 0 END), "
            "sum(CASE WHEN kind = 'refund' THEN total ELSE 0 END) "
            "FROM sales WHERE shift_id = ?", (sid,)).fetchone()
        k = [v or 0 for v in k]
        by = {m: 0 for m in METHOD_LABELS}
        pending = 0
        for method, state, amount in db.execute(
                "SELECT p.method, p.state, sum(p.amount) FROM payments p "
                "JOIN sales s ON s.id = p.sale_id WHERE s.shift_id = ? "
                "GROUP BY 1, 2", (sid,)):
            if state == "paid":
                by[method] = amount
            elif state == "pending":
                pending += amount
        cash = {kind: (n, a) for kind, n, a in db.execute(
            "SELECT kind, count(*), sum(amount) FROM cash_movements "
            "WHERE shift_id = ? GROUP BY kind", (sid,))}
        voids = db.execute("SELECT count(*), coalesce(sum(amount), 0) FROM "
                           "line_voids WHERE shift_id = ?", (sid,)).fetchone()
        closed = sh[2] == "closed"
        diff = sh[10] - sh[9] if closed else None
        s.next_row("out" if diff is not None and diff < 0 else
                   "low" if diff is not None and diff > 0 else None)
        s.text(0, sh[1])
        s.text(1, "Z" if closed else "X")
        if closed:
            s.int(2, sh[3])
        else:
            s.blank(2)
        s.stamp(3, sh[4])
        s.stamp(4, sh[5])
        s.text(5, sh[6])
        s.text(6, sh[7])
        s.money(7, sh[8])
        s.int(8, k[0])
        s.int(9, k[1])
        for c, v in enumerate((k[2], k[3], k[4], k[5], k[4] + k[5],
                               by["cash"], by["mpesa"], by["card"],
                               by["bank"], by["account"], pending,
                               cash.get("pay_in", (0, 0))[1],
                               cash.get("pay_out", (0, 0))[1]), start=10):
            s.money(c, v)
        s.int(23, cash.get("no_sale", (0, 0))[0])
        s.int(24, voids[0])
        s.money(25, voids[1])
        s.money(26, sh[9] if closed else sh[8] + by["cash"])
        s.money(27, sh[10] if closed else None)
        s.money(28, diff)
    s.end()


def main():
    db_path, out, zone, today = sys.argv[1:5]
    db = sqlite3.connect("file:%s?mode=ro" % db_path, uri=True)
    db.execute("BEGIN")
    tmp = os.path.join(os.path.dirname(os.path.abspath(out)),
                       "." + os.path.basename(out) + ".tmp")
    book = Book(tmp, zone)
    book.wb.set_properties({"title": "The books of duka"})
    summary(book, db)
    sales(book, db)
    lines(book, db)
    payments(book, db)
    stock(book, db, today, 30)
    expiry(book, db, today, 30)
    moves(book, db)
    reorder(book, db)
    shifts(book, db)
    book.wb.close()
    os.replace(tmp, out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
