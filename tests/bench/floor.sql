-- floor.sql - the same CSV loaded into duka's schema by plain bulk SQL:
-- products, barcodes, the search index and one outbox row per product,
-- without duka's checks. What the schema alone costs, for comparison.
CREATE TEMP TABLE t(sku, name, price, cost, category, unit, tax, barcode,
	reorder_level);
.import --csv --skip 1 products.csv t
BEGIN;
INSERT INTO products(sku, name, unit, price, cost, tax_class, created_at,
	updated_at)
SELECT sku, name, 'piece', CAST(price * 100 AS INTEGER),
	CAST(cost * 100 AS INTEGER), 'standard', 'x', 'x' FROM t;
INSERT INTO barcodes(code, product_id, kind, created_at)
SELECT barcode, p.id, 'EAN-13', 'x' FROM t JOIN products p ON p.sku = t.sku;
INSERT INTO products_fts(rowid, name, sku, codes, starts)
SELECT id, name, sku, (SELECT group_concat(code, ' ') FROM barcodes
	WHERE product_id = id), '^^' || replace(name, ' ', ' ^') FROM products;
INSERT INTO outbox(id, type, at, data)
SELECT 'x' || id, 'product.changed', 'x',
	json_object('sku', sku, 'name', name, 'price', price) FROM products;
COMMIT;
