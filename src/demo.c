/*
 * demo.c - "duka demo": a believable Kenyan duka to try duka on.
 *
 * About 200 products of a neighbourhood shop or minimarket in 15
 * categories, from 10 suppliers, with real-looking barcodes (GS1 Kenya's
 * prefix 616 and valid check digits), shelf prices in shillings, costs
 * 10-25% below them, and stock received in dated batches over the last
 * eight weeks. A few products are low, a few are out, some batches are
 * about to expire and a few already have.
 *
 * The till has thirty days of history: each day a shift opened with a
 * float, the day's deliveries, real sales rung up through sale_commit
 * (cash with change, M-PESA, a little card, a few on account for three
 * regulars who pay at the end of the week), and a Z report closing the
 * shift, the drawer now and then a few shillings over or short.
 *
 * Everything is written through the modules' own functions (catalog_*,
 * stock_*, shift_*, sale_commit, customer_*) inside one outer transaction,
 * so the demo shop obeys every rule a real one does and a failure leaves
 * no half shop behind.
 *
 * History is planned first, product by product (deliveries and each day's
 * takings, checked against the till's first-expiry-first-out rule in
 * memory, see demo_simulate), then replayed day by day in time order with
 * the clock moved back (DUKA_NOW, see date.h), so that a batch received
 * three weeks ago carries the time stamps of that day and a sale takes
 * from the batch the plan meant. The clock is put back before the command
 * returns, whatever happens.
 *
 * Deterministic: a fixed-seed xorshift64* generator makes every choice, so
 * two runs on the same day make the same shop (time stamps and event ids
 * apart). Dates are relative to the shop's today.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "barcode.h"
#include "cart.h"
#include "catalog.h"
#include "cli.h"
#include "customer.h"
#include "date.h"
#include "i18n.h"
#include "inventory.h"
#include "money.h"
#include "sale.h"
#include "settings.h"
#include "shift.h"
#include "stock.h"

/* Who the demo's movements are recorded as. */
#define DEMO_USER "demo"
/* The shop opened this many days ago: products are created then. */
#define DEMO_OPENED_DAYS 60
/* No delivery is older than this many days: the till's history. */
#define DEMO_HISTORY_DAYS 30
/* At most this many deliveries per product are recorded. */
#define DEMO_MAX_BATCHES 4

enum demo_category {
	C_FLOUR, C_SUGAR, C_RICE, C_OIL, C_DAIRY, C_BAKERY, C_TEA, C_DRINKS,
	C_SNACKS, C_SOAP, C_TOILETRY, C_HOUSE, C_SPICE, C_PRODUCE, C_AIRTIME,
	C_COUNT
};

/* Category names are shop data, like product names: not translated. */
static const char *const demo_categories[C_COUNT] = {
	[C_FLOUR] = "Flour & Unga",
	[C_SUGAR] = "Sugar",
	[C_RICE] = "Rice, Pulses & Cereals",
	[C_OIL] = "Cooking Fat & Oil",
	[C_DAIRY] = "Milk, Dairy & Eggs",
	[C_BAKERY] = "Bread & Spreads",
	[C_TEA] = "Tea, Coffee & Cocoa",
	[C_DRINKS] = "Soft Drinks & Water",
	[C_SNACKS] = "Snacks & Sweets",
	[C_SOAP] = "Soap & Detergents",
	[C_TOILETRY] = "Toiletries",
	[C_HOUSE] = "Household",
	[C_SPICE] = "Spices & Seasoning",
	[C_PRODUCE] = "Fresh Produce",
	[C_AIRTIME] = "Airtime",
};

enum demo_supplier {
	S_BIDCO, S_UNGA, S_BROOKSIDE, S_MUMIAS, S_COKE, S_UNILEVER, S_KAPA,
	S_MARKET, S_JAMII, S_BAKERY, S_COUNT
};

/*
 * A supplier: how long an order takes, and how its delivery notes are
 * numbered (prefix + a number that is the same for one day's delivery).
 * The phone numbers are placeholders in the Safaricom format.
 */
static const struct {
	const char *name;
	const char *phone;
	int lead_days;
	const char *note_prefix;
	long note_base;
} demo_suppliers[S_COUNT] = {
	[S_BIDCO] = { "Bidco Africa", "0700 000 101", 3, "BAL/DN/", 410000 },
	[S_UNGA] = { "Unga Ltd", "0700 000 102", 2, "UNGA-INV-", 772000 },
	[S_BROOKSIDE] = { "Brookside Dairy", "0700 000 103", 1, "BDL-RS-",
	    118000 },
	[S_MUMIAS] = { "Mumias Sugar", "0700 000 104", 5, "MSC/DN/", 52000 },
	[S_COKE] = { "Coca-Cola Almasi Beverages", "0700 000 105", 2,
	    "CCAB-", 903000 },
	[S_UNILEVER] = { "Unilever Kenya", "0700 000 106", 4, "ULK-DN-",
	    330000 },
	[S_KAPA] = { "Kapa Oil Refineries", "0700 000 107", 3, "KOR/",
	    264000 },
	[S_MARKET] = { "Marikiti Market (Mama Achieng)", "0700 000 108", 0,
	    NULL, 0 },
	[S_JAMII] = { "Jamii Cash & Carry", "0700 000 109", 1, "JCC/INV/",
	    615000 },
	[S_BAKERY] = { "Mini Bakeries", "0700 000 110", 1, "MBK-", 87000 },
};

/* What the demo makes of a product's stock. */
enum demo_fate {
	DF_OK,		/* comfortably above its reorder level */
	DF_LOW,		/* at or below its reorder level */
	DF_OUT,		/* sold out, waiting for a delivery */
	DF_EXPIRED,	/* a few units of an expired batch on the shelf */
	DF_NEAR,		/* its last delivery expires within weeks */
};

#define PC UNIT_PIECE
#define KG UNIT_KG
#define LT UNIT_LITRE
#define STD TAX_STANDARD
#define ZERO TAX_ZERO
#define EXEMPT TAX_EXEMPT

/*
 * One product. code: NULL for a GS1 EAN-13 made up here, "" for no barcode
 * (airtime is sold by its SKU), else the shop's own code for loose goods.
 * alt: a second barcode: NULL none, "616" another Kenyan EAN-13 (a
 * promotion pack), or "0" + a US company prefix for an imported pack that
 * carries a UPC-A. price: whole shillings per unit, VAT included. pack:
 * units per carton, crate, bale or sack. shelf: days from delivery to
 * expiry, 0 when the product does not track expiry. rate: thousandths of
 * a unit sold on an ordinary day.
 */
struct demo_item {
	const char *sku;
	const char *name;
	unsigned char cat, sup, unit, tax;
	int price, pack, shelf, rate;
	unsigned char fate;
	const char *code, *alt;
};

/*
 * VAT classes as a Kenyan till applies them (VAT Act 2013 as amended):
 * maize and wheat flour, ordinary bread and plain milk are zero-rated
 * (Second Schedule: 0%, the shop still files them); eggs, fresh
 * vegetables and fruit and dry pulses sold in their raw state are exempt
 * (First Schedule: unprocessed produce). Everything else is standard 16%,
 * including rice (its exemption has moved back and forth; standard is the
 * safe side for a demo), sugar, cooking fat and oil, fermented milk and
 * yoghurt, paraffin and airtime (sold at face value, VAT inside).
 */
static const struct demo_item demo_items[] = {
	/* Flour & Unga */
	{ "JOGOO2KG", "Jogoo Maize Meal 2kg", C_FLOUR, S_UNGA, PC, ZERO,
	    189, 12, 0, 8000, DF_OK, NULL, "616" },
	{ "JOGOO1KG", "Jogoo Maize Meal 1kg", C_FLOUR, S_UNGA, PC, ZERO,
	    99, 24, 0, 4000, DF_OUT, NULL, NULL },
	{ "SOKO2KG", "Soko Maize Meal 2kg", C_FLOUR, S_JAMII, PC, ZERO,
	    175, 12, 0, 6000, DF_OK, NULL, NULL },
	{ "SOKO1KG", "Soko Maize Meal 1kg", C_FLOUR, S_JAMII, PC, ZERO,
	    92, 24, 0, 3000, DF_OK, NULL, NULL },
	{ "PEMBE2KG", "Pembe Maize Meal 2kg", C_FLOUR, S_JAMII, PC, ZERO,
	    179, 12, 0, 5000, DF_OK, NULL, NULL },
	{ "PEMBE1KG", "Pembe Maize Meal 1kg", C_FLOUR, S_JAMII, PC, ZERO,
	    94, 24, 0, 2000, DF_OK, NULL, NULL },
	{ "JIMBI2KG", "Jimbi Maize Meal 2kg", C_FLOUR, S_JAMII, PC, ZERO,
	    169, 12, 0, 2000, DF_OK, NULL, NULL },
	{ "EXE2KG", "Exe Home Baking Flour 2kg", C_FLOUR, S_UNGA, PC, ZERO,
	    199, 12, 0, 4000, DF_OK, NULL, NULL },
	{ "EXE1KG", "Exe Home Baking Flour 1kg", C_FLOUR, S_UNGA, PC, ZERO,
	    109, 24, 0, 2000, DF_OK, NULL, NULL },
	{ "AJAB2KG", "Ajab Home Baking Flour 2kg", C_FLOUR, S_JAMII, PC, ZERO,
	    195, 12, 0, 3000, DF_OK, NULL, NULL },
	{ "AJAB1KG", "Ajab Home Baking Flour 1kg", C_FLOUR, S_JAMII, PC, ZERO,
	    105, 24, 0, 1500, DF_OK, NULL, NULL },
	{ "PEMBEWHEAT2KG", "Pembe Home Baking Flour 2kg", C_FLOUR, S_JAMII,
	    PC, ZERO, 189, 12, 0, 2000, DF_OK, NULL, NULL },

	/* Sugar */
	{ "MUMIAS1KG", "Mumias Sugar 1kg", C_SUGAR, S_MUMIAS, PC, STD,
	    205, 24, 0, 8000, DF_OK, NULL, NULL },
	{ "MUMIAS2KG", "Mumias Sugar 2kg", C_SUGAR, S_MUMIAS, PC, STD,
	    399, 12, 0, 3000, DF_LOW, NULL, NULL },
	{ "MUMIAS500G", "Mumias Sugar 500g", C_SUGAR, S_MUMIAS, PC, STD,
	    105, 24, 0, 3000, DF_OK, NULL, NULL },
	{ "KABRAS1KG", "Kabras Sugar 1kg", C_SUGAR, S_JAMII, PC, STD,
	    199, 24, 0, 5000, DF_OK, NULL, NULL },
	{ "KABRAS2KG", "Kabras Sugar 2kg", C_SUGAR, S_JAMII, PC, STD,
	    389, 12, 0, 1500, DF_OK, NULL, NULL },
	{ "NZOIA1KG", "Nzoia Sugar 1kg", C_SUGAR, S_JAMII, PC, STD,
	    199, 24, 0, 1000, DF_OK, NULL, NULL },
	{ "SONY1KG", "Sony Sugar 1kg", C_SUGAR, S_JAMII, PC, STD,
	    199, 24, 0, 1000, DF_OK, NULL, NULL },
	{ "SUGARLOOSE", "Sugar (loose)", C_SUGAR, S_MUMIAS, KG, STD,
	    190, 50, 0, 6000, DF_OK, "SUG1", NULL },

	/* Rice, Pulses & Cereals */
	{ "PISHORI", "Pishori Rice (loose)", C_RICE, S_JAMII, KG, STD,
	    240, 25, 0, 5000, DF_OK, "PISH1", NULL },
	{ "SINDANO", "Sindano Rice (loose)", C_RICE, S_JAMII, KG, STD,
	    160, 25, 0, 3000, DF_OK, "SIND1", NULL },
	{ "DAAWAT1KG", "Daawat Basmati Rice 1kg", C_RICE, S_JAMII, PC, STD,
	    349, 10, 0, 1000, DF_OK, NULL, NULL },
	{ "DAAWAT5KG", "Daawat Basmati Rice 5kg", C_RICE, S_JAMII, PC, STD,
	    1650, 4, 0, 200, DF_OUT, NULL, NULL },
	{ "MWEAPISHORI2KG", "Mwea Pishori Rice 2kg", C_RICE, S_JAMII, PC, STD,
	    460, 10, 0, 800, DF_OK, NULL, NULL },
	{ "BEANS", "Rosecoco Beans (loose)", C_RICE, S_MARKET, KG, EXEMPT,
	    200, 10, 0, 3000, DF_OK, "BEAN1", NULL },
	{ "NDENGU", "Ndengu / Green Grams (loose)", C_RICE, S_MARKET, KG,
	    EXEMPT, 220, 10, 0, 1500, DF_OK, "NDEN1", NULL },
	{ "WEETABIX430G", "Weetabix 430g", C_RICE, S_JAMII, PC, STD,
	    560, 12, 300, 300, DF_OK, NULL, NULL },
	{ "QUAKER500G", "Quaker Oats 500g", C_RICE, S_JAMII, PC, STD,
	    420, 12, 365, 300, DF_OK, NULL, NULL },
	{ "SPAGHETTI400G", "Santa Lucia Spaghetti 400g", C_RICE, S_JAMII, PC,
	    STD, 95, 20, 0, 1000, DF_OK, NULL, NULL },
	{ "MACARONI400G", "Santa Lucia Macaroni 400g", C_RICE, S_JAMII, PC,
	    STD, 95, 20, 0, 500, DF_OK, NULL, NULL },
	{ "INDOMIE70G", "Indomie Chicken Noodles 70g", C_RICE, S_JAMII, PC,
	    STD, 30, 40, 0, 5000, DF_OK, NULL, NULL },

	/* Cooking Fat & Oil */
	{ "KIMBO500G", "Kimbo Cooking Fat 500g", C_OIL, S_BIDCO, PC, STD,
	    235, 24, 0, 3000, DF_OK, NULL, NULL },
	{ "KIMBO1KG", "Kimbo Cooking Fat 1kg", C_OIL, S_BIDCO, PC, STD,
	    455, 12, 0, 2000, DF_LOW, NULL, NULL },
	{ "KIMBO2KG", "Kimbo Cooking Fat 2kg", C_OIL, S_BIDCO, PC, STD,
	    890, 6, 0, 500, DF_OUT, NULL, NULL },
	{ "KASUKU500G", "Kasuku Cooking Fat 500g", C_OIL, S_KAPA, PC, STD,
	    215, 24, 0, 3000, DF_OK, NULL, NULL },
	{ "KASUKU1KG", "Kasuku Cooking Fat 1kg", C_OIL, S_KAPA, PC, STD,
	    425, 12, 0, 2000, DF_OK, NULL, "616" },
	{ "KASUKU2KG", "Kasuku Cooking Fat 2kg", C_OIL, S_KAPA, PC, STD,
	    830, 6, 0, 600, DF_OK, NULL, NULL },
	{ "ELIANTO500ML", "Elianto Corn Oil 500ml", C_OIL, S_BIDCO, PC, STD,
	    265, 24, 0, 1000, DF_OK, NULL, NULL },
	{ "ELIANTO1L", "Elianto Corn Oil 1L", C_OIL, S_BIDCO, PC, STD,
	    499, 12, 0, 1000, DF_LOW, NULL, NULL },
	{ "ELIANTO2L", "Elianto Corn Oil 2L", C_OIL, S_BIDCO, PC, STD,
	    975, 6, 0, 300, DF_OK, NULL, NULL },
	{ "GOLDENFRY500ML", "Golden Fry Vegetable Oil 500ml", C_OIL, S_BIDCO,
	    PC, STD, 190, 24, 0, 2000, DF_OK, NULL, NULL },
	{ "GOLDENFRY1L", "Golden Fry Vegetable Oil 1L", C_OIL, S_BIDCO, PC,
	    STD, 365, 12, 0, 2000, DF_OK, NULL, NULL },
	{ "GOLDENFRY2L", "Golden Fry Vegetable Oil 2L", C_OIL, S_BIDCO, PC,
	    STD, 715, 6, 0, 800, DF_OK, NULL, NULL },
	{ "FRESHFRI1L", "Fresh Fri Vegetable Oil 1L", C_OIL, S_JAMII, PC, STD,
	    379, 12, 0, 1000, DF_OK, NULL, NULL },
	{ "OILLOOSE", "Vegetable Oil (loose)", C_OIL, S_JAMII, LT, STD,
	    300, 20, 0, 2000, DF_OK, "OIL1", NULL },

	/* Milk, Dairy & Eggs */
	{ "BROOKSIDE500ML", "Brookside Whole Milk 500ml", C_DAIRY, S_BROOKSIDE,
	    PC, ZERO, 65, 24, 7, 24000, DF_OK, NULL, NULL },
	{ "BROOKSIDEUHT500ML", "Brookside Long Life Milk 500ml", C_DAIRY,
	    S_BROOKSIDE, PC, ZERO, 70, 24, 180, 4000, DF_OK, NULL, NULL },
	{ "BROOKSIDEUHT1L", "Brookside UHT Milk 1L", C_DAIRY, S_BROOKSIDE, PC,
	    ZERO, 140, 12, 180, 1500, DF_OK, NULL, NULL },
	{ "KCC500ML", "New KCC Fresh Milk 500ml", C_DAIRY, S_JAMII, PC, ZERO,
	    60, 24, 7, 12000, DF_OK, NULL, NULL },
	{ "TUZO500ML", "Tuzo Fresh Milk 500ml", C_DAIRY, S_JAMII, PC, ZERO,
	    60, 24, 7, 10000, DF_OK, NULL, NULL },
	{ "DAIMA500ML", "Daima Fresh Milk 500ml", C_DAIRY, S_JAMII, PC, ZERO,
	    60, 24, 7, 5000, DF_OK, NULL, NULL },
	{ "KCCMALA500ML", "KCC Mala 500ml", C_DAIRY, S_JAMII, PC, STD,
	    80, 12, 21, 3000, DF_EXPIRED, NULL, NULL },
	{ "LALA500ML", "Brookside Lala 500ml", C_DAIRY, S_BROOKSIDE, PC, STD,
	    75, 12, 14, 2000, DF_OK, NULL, NULL },
	{ "YOGHURT250ML", "Brookside Yoghurt Strawberry 250ml", C_DAIRY,
	    S_BROOKSIDE, PC, STD, 85, 12, 21, 2000, DF_EXPIRED, NULL, NULL },
	{ "YOGHURT500ML", "Brookside Yoghurt Vanilla 500ml", C_DAIRY,
	    S_BROOKSIDE, PC, STD, 150, 12, 21, 1000, DF_OK, NULL, NULL },
	{ "BUTTER250G", "Brookside Butter 250g", C_DAIRY, S_BROOKSIDE, PC, STD,
	    340, 12, 90, 300, DF_OK, NULL, NULL },
	{ "EGGS30", "Eggs, tray of 30", C_DAIRY, S_MARKET, PC, EXEMPT,
	    450, 6, 21, 2000, DF_LOW, "EGGT", NULL },
	{ "EGG1", "Egg (single)", C_DAIRY, S_MARKET, PC, EXEMPT,
	    17, 30, 21, 10000, DF_OK, "EGG1", NULL },

	/* Bread & Spreads */
	{ "SUPALOAF400G", "Supaloaf White Bread 400g", C_BAKERY, S_BAKERY, PC,
	    ZERO, 65, 20, 5, 15000, DF_EXPIRED, NULL, NULL },
	{ "SUPALOAF800G", "Supaloaf White Bread 800g", C_BAKERY, S_BAKERY, PC,
	    ZERO, 125, 10, 5, 3000, DF_LOW, NULL, NULL },
	{ "SUPABROWN400G", "Supaloaf Brown Bread 400g", C_BAKERY, S_BAKERY, PC,
	    ZERO, 70, 20, 5, 4000, DF_OK, NULL, NULL },
	{ "FESTIVE400G", "Festive White Bread 400g", C_BAKERY, S_JAMII, PC,
	    ZERO, 65, 20, 5, 8000, DF_OK, NULL, NULL },
	{ "FESTBROWN400G", "Festive Brown Bread 400g", C_BAKERY, S_JAMII, PC,
	    ZERO, 70, 20, 5, 3000, DF_OK, NULL, NULL },
	{ "BLUEBAND250G", "Blue Band Original 250g", C_BAKERY, S_JAMII, PC,
	    STD, 175, 24, 180, 1000, DF_NEAR, NULL, NULL },
	{ "BLUEBAND500G", "Blue Band Original 500g", C_BAKERY, S_JAMII, PC,
	    STD, 325, 12, 180, 500, DF_OK, NULL, NULL },
	{ "ZESTAJAM500G", "Zesta Strawberry Jam 500g", C_BAKERY, S_JAMII, PC,
	    STD, 330, 12, 365, 200, DF_OK, NULL, NULL },
	{ "PEPTANGPB400G", "Peptang Peanut Butter 400g", C_BAKERY, S_JAMII, PC,
	    STD, 360, 12, 365, 200, DF_OK, NULL, NULL },

	/* Tea, Coffee & Cocoa */
	{ "KETEPA100G", "Ketepa Pride Tea Leaves 100g", C_TEA, S_JAMII, PC,
	    STD, 55, 48, 0, 3000, DF_OK, NULL, NULL },
	{ "KETEPA250G", "Ketepa Pride Tea Leaves 250g", C_TEA, S_JAMII, PC,
	    STD, 130, 24, 0, 2000, DF_LOW, NULL, NULL },
	{ "KETEPA500G", "Ketepa Pride Tea Leaves 500g", C_TEA, S_JAMII, PC,
	    STD, 245, 12, 0, 800, DF_OK, NULL, NULL },
	{ "KETEPABAGS100", "Ketepa Pride Tea Bags 100s", C_TEA, S_JAMII, PC,
	    STD, 265, 12, 0, 300, DF_OK, NULL, NULL },
	{ "KERICHO250G", "Kericho Gold Tea Leaves 250g", C_TEA, S_JAMII, PC,
	    STD, 165, 24, 0, 800, DF_OK, NULL, NULL },
	{ "KERICHOBAGS50", "Kericho Gold Tea Bags 50s", C_TEA, S_JAMII, PC,
	    STD, 175, 12, 0, 300, DF_OK, NULL, NULL },
	{ "AFRICAFE50G", "Africafe Instant Coffee 50g", C_TEA, S_JAMII, PC,
	    STD, 245, 12, 540, 200, DF_OK, NULL, NULL },
	{ "NESCAFE50G", "Nescafe Classic 50g", C_TEA, S_JAMII, PC, STD,
	    330, 12, 540, 200, DF_OK, NULL, NULL },
	{ "MILO200G", "Milo 200g", C_TEA, S_JAMII, PC, STD,
	    365, 12, 365, 200, DF_OK, NULL, NULL },
	{ "CADBURYCOCOA200G", "Cadbury Drinking Chocolate 200g", C_TEA,
	    S_JAMII, PC, STD, 395, 12, 365, 100, DF_OK, NULL, NULL },

	/* Soft Drinks & Water */
	{ "COKE500ML", "Coca-Cola 500ml", C_DRINKS, S_COKE, PC, STD,
	    80, 24, 0, 12000, DF_OK, NULL, NULL },
	{ "COKE350ML", "Coca-Cola 350ml", C_DRINKS, S_COKE, PC, STD,
	    60, 24, 0, 5000, DF_OK, NULL, NULL },
	{ "COKE1.25L", "Coca-Cola 1.25L", C_DRINKS, S_COKE, PC, STD,
	    130, 12, 0, 3000, DF_OK, NULL, NULL },
	{ "COKE2L", "Coca-Cola 2L", C_DRINKS, S_COKE, PC, STD,
	    200, 6, 0, 1500, DF_OK, NULL, NULL },
	{ "FANTAORANGE500ML", "Fanta Orange 500ml", C_DRINKS, S_COKE, PC, STD,
	    80, 24, 0, 6000, DF_OK, NULL, NULL },
	{ "FANTAPASSION500ML", "Fanta Passion 500ml", C_DRINKS, S_COKE, PC,
	    STD, 80, 24, 0, 3000, DF_OK, NULL, NULL },
	{ "FANTABLACK500ML", "Fanta Blackcurrant 500ml", C_DRINKS, S_COKE, PC,
	    STD, 80, 24, 0, 3000, DF_OK, NULL, NULL },
	{ "FANTAORANGE1.25L", "Fanta Orange 1.25L", C_DRINKS, S_COKE, PC, STD,
	    130, 12, 0, 1500, DF_OK, NULL, NULL },
	{ "SPRITE500ML", "Sprite 500ml", C_DRINKS, S_COKE, PC, STD,
	    80, 24, 0, 4000, DF_OK, NULL, NULL },
	{ "SPRITE1.25L", "Sprite 1.25L", C_DRINKS, S_COKE, PC, STD,
	    130, 12, 0, 1000, DF_OK, NULL, NULL },
	{ "STONEY500ML", "Stoney Tangawizi 500ml", C_DRINKS, S_COKE, PC, STD,
	    80, 24, 0, 4000, DF_OUT, NULL, NULL },
	{ "KREST500ML", "Krest Bitter Lemon 500ml", C_DRINKS, S_COKE, PC, STD,
	    80, 24, 0, 1000, DF_OK, NULL, NULL },
	{ "DASANI500ML", "Dasani Water 500ml", C_DRINKS, S_COKE, PC, STD,
	    50, 24, 0, 8000, DF_OK, NULL, NULL },
	{ "DASANI1L", "Dasani Water 1L", C_DRINKS, S_COKE, PC, STD,
	    80, 12, 0, 3000, DF_LOW, NULL, NULL },
	{ "DASANI1.5L", "Dasani Water 1.5L", C_DRINKS, S_COKE, PC, STD,
	    100, 12, 0, 1500, DF_OK, NULL, NULL },
	{ "KERINGET1L", "Keringet Water 1L", C_DRINKS, S_JAMII, PC, STD,
	    90, 12, 0, 1000, DF_OK, NULL, NULL },
	{ "MINUTEMAID400ML", "Minute Maid Mango 400ml", C_DRINKS, S_COKE, PC,
	    STD, 75, 12, 180, 3000, DF_OK, NULL, NULL },
	{ "MINUTEMAID1L", "Minute Maid Tropical 1L", C_DRINKS, S_COKE, PC, STD,
	    190, 6, 180, 800, DF_NEAR, NULL, NULL },
	{ "AFIA500ML", "Afia Mango 500ml", C_DRINKS, S_JAMII, PC, STD,
	    90, 12, 150, 2000, DF_EXPIRED, NULL, NULL },
	{ "DELMONTE1L", "Del Monte Mango Juice 1L", C_DRINKS, S_JAMII, PC, STD,
	    265, 12, 270, 300, DF_OK, NULL, NULL },
	{ "PREDATOR400ML", "Predator Energy 400ml", C_DRINKS, S_COKE, PC, STD,
	    70, 24, 0, 3000, DF_OK, NULL, NULL },
	{ "REDBULL250ML", "Red Bull 250ml", C_DRINKS, S_JAMII, PC, STD,
	    230, 24, 0, 300, DF_OK, NULL, NULL },

	/* Snacks & Sweets */
	{ "TROPICAL100", "Tropical Mints, bag of 100", C_SNACKS, S_JAMII, PC,
	    STD, 190, 12, 365, 300, DF_OK, NULL, NULL },
	{ "TROPICAL1", "Tropical Mint (single)", C_SNACKS, S_JAMII, PC, STD,
	    2, 100, 0, 40000, DF_OK, NULL, NULL },
	{ "LOLLIPOP", "Tropical Lollipop", C_SNACKS, S_JAMII, PC, STD,
	    5, 50, 0, 15000, DF_OK, NULL, NULL },
	{ "KRACKLES30G", "Krackles Crisps 30g", C_SNACKS, S_JAMII, PC, STD,
	    20, 48, 180, 6000, DF_NEAR, NULL, NULL },
	{ "THCRISPS40G", "Tropical Heat Salted Crisps 40g", C_SNACKS, S_JAMII,
	    PC, STD, 50, 24, 180, 2000, DF_OK, NULL, NULL },
	{ "PRINGLES165G", "Pringles Original 165g", C_SNACKS, S_JAMII, PC, STD,
	    420, 12, 365, 100, DF_OK, NULL, "0038000" },
	{ "NICE100G", "Nice Biscuits 100g", C_SNACKS, S_JAMII, PC, STD,
	    45, 24, 270, 3000, DF_OK, NULL, NULL },
	{ "GLUCOSE100G", "Manji Glucose Biscuits 100g", C_SNACKS, S_JAMII, PC,
	    STD, 30, 24, 270, 3000, DF_OK, NULL, NULL },
	{ "MARIE100G", "Manji Marie Biscuits 100g", C_SNACKS, S_JAMII, PC, STD,
	    40, 24, 270, 1500, DF_OK, NULL, NULL },
	{ "NUVITA125G", "Nuvita Digestive Biscuits 125g", C_SNACKS, S_JAMII,
	    PC, STD, 70, 24, 270, 1000, DF_OK, NULL, NULL },
	{ "DAIRYMILK35G", "Cadbury Dairy Milk 35g", C_SNACKS, S_JAMII, PC, STD,
	    120, 24, 300, 1000, DF_OK, NULL, NULL },
	{ "NJUGU50G", "Roasted Peanuts (Njugu) 50g", C_SNACKS, S_JAMII, PC,
	    STD, 30, 48, 120, 3000, DF_OK, NULL, NULL },
	{ "ORBIT10", "Orbit Spearmint Gum 10s", C_SNACKS, S_JAMII, PC, STD,
	    60, 24, 365, 300, DF_OK, NULL, NULL },

	/* Soap & Detergents */
	{ "MENENGAI1KG", "Menengai Cream Bar Soap 1kg", C_SOAP, S_JAMII, PC,
	    STD, 185, 20, 0, 1500, DF_LOW, NULL, NULL },
	{ "MENENGAI600G", "Menengai Bar Soap 600g", C_SOAP, S_JAMII, PC, STD,
	    120, 20, 0, 1500, DF_OK, NULL, NULL },
	{ "MSAFI800G", "Msafi Bar Soap 800g", C_SOAP, S_BIDCO, PC, STD,
	    165, 20, 0, 800, DF_OK, NULL, NULL },
	{ "SUNLIGHT500G", "Sunlight Washing Powder 500g", C_SOAP, S_UNILEVER,
	    PC, STD, 160, 24, 0, 1500, DF_OK, NULL, NULL },
	{ "SUNLIGHT1KG", "Sunlight Washing Powder 1kg", C_SOAP, S_UNILEVER, PC,
	    STD, 295, 12, 0, 600, DF_OK, NULL, NULL },
	{ "SUNLIGHTDISH400ML", "Sunlight Dishwashing Liquid 400ml", C_SOAP,
	    S_UNILEVER, PC, STD, 180, 12, 0, 500, DF_OK, NULL, NULL },
	{ "GEISHA225G", "Geisha Beauty Soap 225g", C_SOAP, S_JAMII, PC, STD,
	    110, 36, 0, 1000, DF_OK, NULL, NULL },
	{ "GEISHA100G", "Geisha Beauty Soap 100g", C_SOAP, S_JAMII, PC, STD,
	    55, 72, 0, 1500, DF_OK, NULL, NULL },
	{ "LIFEBUOY100G", "Lifebuoy Total Soap 100g", C_SOAP, S_UNILEVER, PC,
	    STD, 75, 72, 0, 1000, DF_OK, NULL, NULL },
	{ "PROTEX175G", "Protex Herbal Soap 175g", C_SOAP, S_JAMII, PC, STD,
	    150, 48, 0, 400, DF_OK, NULL, NULL },
	{ "DETTOLSOAP175G", "Dettol Original Soap 175g", C_SOAP, S_JAMII, PC,
	    STD, 190, 48, 0, 300, DF_OK, NULL, NULL },
	{ "OMO40G", "Omo Sachet 40g", C_SOAP, S_UNILEVER, PC, STD,
	    20, 100, 0, 10000, DF_OK, NULL, NULL },
	{ "OMO500G", "Omo Multi-Active 500g", C_SOAP, S_UNILEVER, PC, STD,
	    230, 24, 0, 800, DF_LOW, NULL, NULL },
	{ "OMO1KG", "Omo Multi-Active 1kg", C_SOAP, S_UNILEVER, PC, STD,
	    430, 12, 0, 300, DF_OK, NULL, NULL },
	{ "ARIEL40G", "Ariel Sachet 40g", C_SOAP, S_JAMII, PC, STD,
	    20, 100, 0, 8000, DF_OK, NULL, NULL },
	{ "ARIEL500G", "Ariel Washing Powder 500g", C_SOAP, S_JAMII, PC, STD,
	    265, 24, 0, 500, DF_OK, NULL, NULL },
	{ "ARIEL1KG", "Ariel Washing Powder 1kg", C_SOAP, S_JAMII, PC, STD,
	    495, 12, 0, 200, DF_OK, NULL, NULL },
	{ "TOSS500G", "Toss Washing Powder 500g", C_SOAP, S_JAMII, PC, STD,
	    140, 24, 0, 600, DF_OK, NULL, NULL },

	/* Toiletries */
	{ "COLGATE70G", "Colgate Maximum Cavity Protection 70g", C_TOILETRY,
	    S_JAMII, PC, STD, 115, 48, 0, 1000, DF_OK, NULL, "0035000" },
	{ "COLGATE140G", "Colgate Maximum Cavity Protection 140g", C_TOILETRY,
	    S_JAMII, PC, STD, 210, 24, 0, 500, DF_LOW, NULL, NULL },
	{ "CLOSEUP100ML", "Close Up Red Hot 100ml", C_TOILETRY, S_UNILEVER, PC,
	    STD, 160, 48, 0, 400, DF_OK, NULL, NULL },
	{ "COLGATEBRUSH", "Colgate Toothbrush Medium", C_TOILETRY, S_JAMII, PC,
	    STD, 60, 12, 0, 500, DF_OK, NULL, NULL },
	{ "ALWAYSMAXI8", "Always Maxi Thick Long 8 Pads", C_TOILETRY, S_JAMII,
	    PC, STD, 115, 48, 0, 800, DF_OK, NULL, "0037000" },
	{ "ALWAYSULTRA8", "Always Ultra Normal 8 Pads", C_TOILETRY, S_JAMII,
	    PC, STD, 150, 48, 0, 300, DF_OK, NULL, NULL },
	{ "SOFTCARE8", "Softcare Sanitary Pads 8s", C_TOILETRY, S_JAMII, PC,
	    STD, 65, 48, 0, 800, DF_OK, NULL, NULL },
	{ "VASELINE100ML", "Vaseline Blue Seal 100ml", C_TOILETRY, S_UNILEVER,
	    PC, STD, 145, 48, 0, 400, DF_OK, NULL, NULL },
	{ "ARIMIS200ML", "Arimis Milking Jelly 200ml", C_TOILETRY, S_JAMII, PC,
	    STD, 190, 24, 0, 300, DF_OK, NULL, NULL },
	{ "NIVEAMEN50ML", "Nivea Men Roll-On 50ml", C_TOILETRY, S_JAMII, PC,
	    STD, 390, 24, 0, 100, DF_OK, NULL, NULL },
	{ "REXONA50ML", "Rexona Women Roll-On 50ml", C_TOILETRY, S_UNILEVER,
	    PC, STD, 290, 24, 0, 100, DF_OK, NULL, NULL },
	{ "NICELOVELY400ML", "Nice & Lovely Body Lotion 400ml", C_TOILETRY,
	    S_JAMII, PC, STD, 295, 12, 0, 200, DF_OK, NULL, NULL },
	{ "GILLETTEBLUE2", "Gillette Blue II Razor", C_TOILETRY, S_JAMII, PC,
	    STD, 45, 24, 0, 500, DF_OK, NULL, NULL },
	{ "DETTOL250ML", "Dettol Antiseptic Liquid 250ml", C_TOILETRY, S_JAMII,
	    PC, STD, 395, 12, 0, 100, DF_OK, NULL, NULL },
	{ "HUGGIES4", "Huggies Dry Comfort Size 4, 32s", C_TOILETRY, S_JAMII,
	    PC, STD, 1150, 4, 0, 100, DF_OK, NULL, NULL },

	/* Household */
	{ "MATCHES10", "Safari Matches, pack of 10", C_HOUSE, S_JAMII, PC, STD,
	    45, 50, 0, 1000, DF_OK, NULL, NULL },
	{ "MATCHES1", "Safari Matches (single box)", C_HOUSE, S_JAMII, PC, STD,
	    5, 100, 0, 5000, DF_OK, NULL, NULL },
	{ "CANDLE1", "Household Candle (single)", C_HOUSE, S_JAMII, PC, STD,
	    15, 48, 0, 3000, DF_OK, NULL, NULL },
	{ "CANDLE6", "Household Candles, pack of 6", C_HOUSE, S_JAMII, PC, STD,
	    85, 24, 0, 500, DF_OK, NULL, NULL },
	{ "JIK250ML", "Jik Regular 250ml", C_HOUSE, S_JAMII, PC, STD,
	    65, 24, 0, 800, DF_OK, NULL, NULL },
	{ "JIK750ML", "Jik Regular 750ml", C_HOUSE, S_JAMII, PC, STD,
	    160, 12, 0, 500, DF_OK, NULL, NULL },
	{ "HARPIC500ML", "Harpic Original 500ml", C_HOUSE, S_JAMII, PC, STD,
	    295, 12, 0, 200, DF_OK, NULL, NULL },
	{ "VIM500G", "Vim Scouring Powder 500g", C_HOUSE, S_UNILEVER, PC, STD,
	    105, 24, 0, 400, DF_OK, NULL, NULL },
	{ "ROSY1", "Rosy Toilet Tissue (single roll)", C_HOUSE, S_JAMII, PC,
	    STD, 35, 40, 0, 5000, DF_OK, NULL, NULL },
	{ "ROSY10", "Rosy Toilet Tissue, 10 rolls", C_HOUSE, S_JAMII, PC, STD,
	    330, 6, 0, 200, DF_OK, NULL, NULL },
	{ "DOOM300ML", "Doom Multi-Insect Killer 300ml", C_HOUSE, S_JAMII, PC,
	    STD, 395, 12, 0, 100, DF_OUT, NULL, NULL },
	{ "MOSQUITOCOIL10", "Mosquito Coils, pack of 10", C_HOUSE, S_JAMII, PC,
	    STD, 60, 24, 0, 500, DF_OK, NULL, NULL },
	{ "EVEREADYAA2", "Eveready Battery AA, pair", C_HOUSE, S_JAMII, PC,
	    STD, 70, 24, 0, 500, DF_OK, NULL, NULL },
	{ "EVEREADYD2", "Eveready Battery D, pair", C_HOUSE, S_JAMII, PC, STD,
	    120, 24, 0, 300, DF_OK, NULL, NULL },
	{ "STEELWOOL", "Steel Wool (single)", C_HOUSE, S_JAMII, PC, STD,
	    10, 48, 0, 1500, DF_OK, NULL, NULL },
	{ "KIWIBLACK40ML", "Kiwi Shoe Polish Black 40ml", C_HOUSE, S_JAMII, PC,
	    STD, 110, 24, 0, 200, DF_OK, NULL, NULL },
	{ "SERVIETTES100", "Hanan Serviettes 100s", C_HOUSE, S_JAMII, PC, STD,
	    90, 24, 0, 200, DF_OK, NULL, NULL },
	{ "PARAFFIN", "Paraffin (loose)", C_HOUSE, S_JAMII, LT, STD,
	    170, 20, 0, 6000, DF_OK, "PARA1", NULL },

	/* Spices & Seasoning */
	{ "ROYCO200G", "Royco Mchuzi Mix Beef 200g", C_SPICE, S_JAMII, PC, STD,
	    170, 24, 0, 500, DF_LOW, NULL, NULL },
	{ "ROYCO75G", "Royco Mchuzi Mix Beef 75g", C_SPICE, S_JAMII, PC, STD,
	    75, 48, 0, 800, DF_OK, NULL, NULL },
	{ "ROYCO10G", "Royco Mchuzi Mix Sachet 10g", C_SPICE, S_JAMII, PC, STD,
	    10, 100, 0, 8000, DF_OK, NULL, NULL },
	{ "KENSALT1KG", "Kensalt Iodised Salt 1kg", C_SPICE, S_JAMII, PC, STD,
	    45, 25, 0, 2000, DF_OK, NULL, NULL },
	{ "KENSALT500G", "Kensalt Iodised Salt 500g", C_SPICE, S_JAMII, PC, STD,
	    25, 50, 0, 2000, DF_OK, NULL, NULL },
	{ "CURRY50G", "Tropical Heat Curry Powder 50g", C_SPICE, S_JAMII, PC,
	    STD, 90, 24, 0, 300, DF_OK, NULL, NULL },
	{ "PILAU50G", "Tropical Heat Pilau Masala 50g", C_SPICE, S_JAMII, PC,
	    STD, 85, 24, 0, 400, DF_OK, NULL, NULL },
	{ "TEAMASALA50G", "Tropical Heat Tea Masala 50g", C_SPICE, S_JAMII, PC,
	    STD, 95, 24, 0, 200, DF_OK, NULL, NULL },
	{ "BLACKPEPPER50G", "Tropical Heat Black Pepper 50g", C_SPICE, S_JAMII,
	    PC, STD, 130, 24, 0, 150, DF_OK, NULL, NULL },
	{ "TOMATOSAUCE400G", "Peptang Tomato Sauce 400g", C_SPICE, S_JAMII, PC,
	    STD, 215, 12, 365, 200, DF_OK, NULL, NULL },
	{ "TOMATOPASTE70G", "Tomato Paste Sachet 70g", C_SPICE, S_JAMII, PC,
	    STD, 30, 48, 0, 1500, DF_OK, NULL, NULL },

	/* Fresh Produce */
	{ "TOMATOES", "Tomatoes", C_PRODUCE, S_MARKET, KG, EXEMPT,
	    120, 5, 7, 6000, DF_OK, "TOM1", NULL },
	{ "ONIONS", "Onions (red)", C_PRODUCE, S_MARKET, KG, EXEMPT,
	    130, 5, 30, 4000, DF_OK, "ONI1", NULL },
	{ "SUKUMA", "Sukuma Wiki (kale)", C_PRODUCE, S_MARKET, KG, EXEMPT,
	    80, 5, 3, 5000, DF_OK, "SUK1", NULL },
	{ "SPINACH", "Spinach", C_PRODUCE, S_MARKET, KG, EXEMPT,
	    100, 2, 3, 1500, DF_OK, "SPI1", NULL },
	{ "CABBAGE", "Cabbage (whole head)", C_PRODUCE, S_MARKET, PC, EXEMPT,
	    70, 10, 14, 2000, DF_OK, "CAB1", NULL },
	{ "POTATOES", "Potatoes (Shangi)", C_PRODUCE, S_MARKET, KG, EXEMPT,
	    90, 10, 21, 8000, DF_OK, "POT1", NULL },
	{ "CARROTS", "Carrots", C_PRODUCE, S_MARKET, KG, EXEMPT,
	    110, 5, 14, 1500, DF_OK, "CAR1", NULL },
	{ "HOHO", "Green Pepper (Hoho)", C_PRODUCE, S_MARKET, KG, EXEMPT,
	    220, 2, 10, 500, DF_OK, "HOH1", NULL },
	{ "DHANIA", "Dhania (coriander), bunch", C_PRODUCE, S_MARKET, PC,
	    EXEMPT, 10, 20, 3, 6000, DF_OK, "DHA1", NULL },
	{ "GARLIC", "Garlic", C_PRODUCE, S_MARKET, KG, EXEMPT,
	    420, 1, 60, 300, DF_OK, "GAR1", NULL },
	{ "GINGER", "Ginger", C_PRODUCE, S_MARKET, KG, EXEMPT,
	    320, 1, 45, 300, DF_OK, "GIN1", NULL },
	{ "BANANA", "Banana, ripe (single)", C_PRODUCE, S_MARKET, PC, EXEMPT,
	    10, 30, 5, 20000, DF_OK, "BAN1", NULL },
	{ "AVOCADO", "Avocado (single)", C_PRODUCE, S_MARKET, PC, EXEMPT,
	    25, 20, 7, 5000, DF_OK, "AVO1", NULL },
	{ "LEMON", "Lemon (single)", C_PRODUCE, S_MARKET, PC, EXEMPT,
	    10, 20, 14, 2000, DF_OK, "LEM1", NULL },
	{ "ORANGE", "Orange (single)", C_PRODUCE, S_MARKET, PC, EXEMPT,
	    15, 20, 14, 3000, DF_OK, "ORA1", NULL },

	/* Airtime: sold at face value, found by SKU; the dealer's margin is
	 * about 5%, not the 10-25% of groceries. */
	{ "SAF20", "Safaricom Airtime KSh 20", C_AIRTIME, S_JAMII, PC, STD,
	    20, 10, 0, 10000, DF_OK, "", NULL },
	{ "SAF50", "Safaricom Airtime KSh 50", C_AIRTIME, S_JAMII, PC, STD,
	    50, 10, 0, 8000, DF_OK, "", NULL },
	{ "SAF100", "Safaricom Airtime KSh 100", C_AIRTIME, S_JAMII, PC, STD,
	    100, 10, 0, 5000, DF_LOW, "", NULL },
	{ "SAF250", "Safaricom Airtime KSh 250", C_AIRTIME, S_JAMII, PC, STD,
	    250, 10, 0, 1000, DF_OK, "", NULL },
	{ "SAF500", "Safaricom Airtime KSh 500", C_AIRTIME, S_JAMII, PC, STD,
	    500, 10, 0, 300, DF_OK, "", NULL },
	{ "SAF1000", "Safaricom Airtime KSh 1000", C_AIRTIME, S_JAMII, PC, STD,
	    1000, 5, 0, 100, DF_OUT, "", NULL },
	{ "AIRTEL20", "Airtel Airtime KSh 20", C_AIRTIME, S_JAMII, PC, STD,
	    20, 10, 0, 3000, DF_OK, "", NULL },
	{ "AIRTEL50", "Airtel Airtime KSh 50", C_AIRTIME, S_JAMII, PC, STD,
	    50, 10, 0, 2000, DF_OK, "", NULL },
	{ "AIRTEL100", "Airtel Airtime KSh 100", C_AIRTIME, S_JAMII, PC, STD,
	    100, 10, 0, 1000, DF_OK, "", NULL },
	{ "AIRTEL250", "Airtel Airtime KSh 250", C_AIRTIME, S_JAMII, PC, STD,
	    250, 10, 0, 300, DF_OK, "", NULL },
};

#define DEMO_NITEMS (sizeof demo_items / sizeof demo_items[0])

/* A few mishaps, recorded as damage on one delivery of the product. */
static const struct {
	const char *sku;
	int64_t qty;		/* thousandths */
	const char *note;
} demo_damages[] = {
	{ "EGGS30", 1000, "tray dropped while shelving" },
	{ "COKE500ML", 1000, "bottle burst in the crate" },
	{ "TOMATOES", 1500, "spoilt in the heat, thrown away" },
	{ "BANANA", 4000, "over-ripe, thrown away" },
	{ "MENENGAI1KG", 1000, "bar cut open by rats" },
};

/* Customers who buy on account: shop data, not translated. */
static const struct {
	const char *name;
	const char *phone;
	int64_t limit;		/* cents */
} demo_customers[] = {
	{ "Mama Wanjiku", "0700 000 201", 500000 },
	{ "John Otieno", "0700 000 202", 300000 },
	{ "Kibe Boda Boda Stage", "0700 000 203", 800000 },
};

#define DEMO_NCUSTOMERS (sizeof demo_customers / sizeof demo_customers[0])

/* The generator's state and what was written, for the summary. */
struct demo {
	struct db *db;
	uint64_t rng;
	char today[DATE_LEN];
	int64_t category_id[C_COUNT];
	int64_t supplier_id[S_COUNT];
	int64_t customer_id[DEMO_NCUSTOMERS];
	int64_t owed[DEMO_NCUSTOMERS];	/* what each customer owes, cents */
	struct settings cfg;		/* what sale_commit checks against */
	struct cart *cart;
	long products, barcodes, batches;
	long sales, lines, shifts, mpesa_codes;
	int64_t takings;		/* all sales, cents */
};

/* xorshift64*: small, fast and the same on every machine. */
static uint64_t
demo_rand(struct demo *d)
{
	d->rng ^= d->rng >> 12;
	d->rng ^= d->rng << 25;
	d->rng ^= d->rng >> 27;
	return d->rng * 0x2545F4914F6CDD1DULL;
}

/* A number from lo to hi, both included. */
static int64_t
demo_between(struct demo *d, int64_t lo, int64_t hi)
{
	if (hi <= lo)
		return lo;
	return lo + (int64_t)(demo_rand(d) % (uint64_t)(hi - lo + 1));
}

/*
 * Move the clock (DUKA_NOW) to minute minutes after 07:00 shop time (the
 * TZ of the process, as date_today reads it) on the day today + day, with
 * a random second. Negative minutes are before 07:00 the same day. Shop
 * time, not UTC, so that a day's shift, deliveries and sales fall on that
 * local date in that order whatever the time zone.
 */
static void
demo_clock(struct demo *d, int64_t day, int64_t minute)
{
	char date[DATE_LEN], stamp[TIMESTAMP_LEN];
	struct tm tm;
	time_t t;

	date_add_days(d->today, day, date);
	memset(&tm, 0, sizeof tm);
	tm.tm_year = atoi(date) - 1900;
	tm.tm_mon = atoi(date + 5) - 1;
	tm.tm_mday = atoi(date + 8);
	tm.tm_hour = 7;
	tm.tm_min = (int)minute;
	tm.tm_sec = (int)demo_between(d, 0, 59);
	tm.tm_isdst = -1;
	t = mktime(&tm);
	date_timestamp((int64_t)t, stamp);
	setenv("DUKA_NOW", stamp, 1);
}

/* The smallest step a quantity of this unit moves in: 1 piece, 0.5 kg. */
static int64_t
demo_step(const struct demo_item *it)
{
	return it->unit == UNIT_PIECE ? 1000 : 500;
}

/* q rounded up to a multiple of step (q > 0). */
static int64_t
demo_round_up(int64_t q, int64_t step)
{
	return (q + step - 1) / step * step;
}

/* A brand's GS1 company number (4 digits after 616), from its first word. */
static unsigned
demo_company(const char *name)
{
	uint32_t h = 2166136261u;

	for (; *name != '\0' && *name != ' '; name++)
		h = (h ^ (unsigned char)*name) * 16777619u;
	return 1000 + h % 9000;
}

/*
 * An EAN-13: the prefix (616, or 0 and a US company prefix), the
 * brand's company number and an item number unique to the product
 * (base + index * 37 + 0..36), then the check digit.
 */
static void
demo_ean13(struct demo *d, const char *prefix, unsigned company, size_t index,
    unsigned base, char out[14])
{
	char twelve[16];
	unsigned item;

	item = base + (unsigned)index * 37 + (unsigned)demo_between(d, 0, 36);
	if (prefix[0] == '0')	/* 0 + a 6-digit US prefix: UPC-A */
		snprintf(twelve, sizeof twelve, "%s%05u", prefix,
		    item % 100000);
	else
		snprintf(twelve, sizeof twelve, "%s%04u%05u", prefix, company,
		    item % 100000);
	barcode_ean13_make(twelve, out);
}

/* Add the product's barcodes: EAN-13 or internal code, and a second one. */
static int
demo_barcodes(struct demo *d, const struct demo_item *it, size_t index,
    int64_t product_id, struct duka_err *err)
{
	char ean[14];
	int rc;

	if (it->code != NULL && it->code[0] == '\0')
		return DUKA_OK;
	if (it->code != NULL) {
		rc = catalog_barcode_add(d->db, product_id, it->code, NULL,
		    err);
	} else {
		demo_ean13(d, "616", demo_company(it->name), index, 10000, ean);
		rc = catalog_barcode_add(d->db, product_id, ean, NULL, err);
	}
	if (rc != DUKA_OK)
		return rc;
	d->barcodes++;
	if (it->alt == NULL)
		return DUKA_OK;
	demo_ean13(d, it->alt, demo_company(it->name) % 1000 + 9000, index,
	    50000, ean);
	/* A UPC-A is scanned as 12 digits; the catalog stores it as EAN-13. */
	rc = catalog_barcode_add(d->db, product_id, ean[0] == '0' &&
	    it->alt[0] == '0' ? ean + 1 : ean, NULL, err);
	if (rc == DUKA_OK)
		d->barcodes++;
	return rc;
}

/*
 * Cost price: 10-25% below the shelf price (airtime about 5%), to the
 * nearest 50 cents (5 cents for sweets and matches sold for a few bob).
 */
static int64_t
demo_cost(struct demo *d, const struct demo_item *it)
{
	int64_t price = (int64_t)it->price * 100, margin, cents;

	margin = it->cat == C_AIRTIME ? demo_between(d, 40, 60) :
	    demo_between(d, 100, 250);
	cents = price < 2000 ? 5 : 50;
	return money_div_round(price * (1000 - margin), 1000 * cents) * cents;
}

/* Add one product with its levels and barcodes; sets *p. */
static int
demo_product(struct demo *d, const struct demo_item *it, size_t index,
    struct product *p, struct duka_err *err)
{
	int64_t rate = it->rate, step = demo_step(it), pack = it->pack * 1000;
	int64_t lead = demo_suppliers[it->sup].lead_days, cover;
	int rc;

	product_init(p);
	snprintf(p->sku, sizeof p->sku, "%s", it->sku);
	snprintf(p->name, sizeof p->name, "%s", it->name);
	p->category_id = d->category_id[it->cat];
	p->supplier_id = d->supplier_id[it->sup];
	p->unit = (enum product_unit)it->unit;
	p->tax = (enum tax_class)it->tax;
	p->price = (int64_t)it->price * 100;
	p->cost = demo_cost(d, it);
	p->pack_size = pack;
	p->lead_time_days = lead;
	p->tracks_expiry = it->shelf > 0;
	/*
	 * Reorder when what is left covers the supplier's lead time and a
	 * few days more (one day for goods that go off within two weeks);
	 * order two weeks' worth, or half the shelf life of perishables, in
	 * whole cartons.
	 */
	if (it->shelf > 0 && it->shelf <= 14) {
		p->reorder_level = demo_round_up(rate, step);
		cover = it->shelf / 2 > 2 ? it->shelf / 2 : 2;
	} else {
		p->reorder_level = demo_round_up(rate * (lead + 3), step);
		cover = 14;
	}
	p->reorder_qty = demo_round_up(rate * cover, pack);
	if ((rc = catalog_product_add(d->db, p, DEMO_USER, err)) != DUKA_OK)
		return rc;
	d->products++;
	return demo_barcodes(d, it, index, p->id, err);
}

/* One delivery of a product and what became of it. */
struct demo_batch {
	int64_t received;	/* day, relative to today */
	int64_t expiry;		/* day, if the product tracks expiry */
	int64_t qty;		/* thousandths received */
	int64_t left;		/* thousandths still in stock today */
	int64_t damaged;	/* thousandths written off as damage */
	int64_t keep;		/* thousandths no sale may take: the expired
				   few of DF_EXPIRED */
	int64_t id;
};

/* Batch number as printed on the goods: L, year, day of year, line. */
static void
demo_batch_no(struct demo *d, const struct demo_item *it, int64_t received,
    char *out, size_t n)
{
	char made[DATE_LEN], jan1[DATE_LEN];
	int64_t back;

	/* The market gives no batch numbers. */
	if (it->sup == S_MARKET) {
		out[0] = '\0';
		return;
	}
	back = it->shelf > 0 && it->shelf <= 14 ? demo_between(d, 0, 1) :
	    demo_between(d, 7, 60);
	date_add_days(d->today, received - back, made);
	snprintf(jan1, sizeof jan1, "%.4s-01-01", made);
	snprintf(out, n, "L%.2s%03lld%c", made + 2,
	    (long long)(date_diff_days(jan1, made) + 1),
	    (char)('A' + demo_between(d, 0, 3)));
}

/* Delivery note number: the same for one supplier's delivery of a day. */
static void
demo_reference(struct demo *d, const struct demo_item *it, int64_t received,
    char *out, size_t n)
{
	char date[DATE_LEN];

	date_add_days(d->today, received, date);
	if (demo_suppliers[it->sup].note_prefix == NULL) {
		/* The market's receipt book: MKT-YYMMDD. */
		snprintf(out, n, "MKT-%.2s%.2s%.2s", date + 2, date + 5,
		    date + 8);
		return;
	}
	snprintf(out, n, "%s%06lld", demo_suppliers[it->sup].note_prefix,
	    (long long)(demo_suppliers[it->sup].note_base +
	    date_diff_days("2020-01-01", date) * 23 % 100000));
}

/* Receive one batch at minute of its day. */
static int
demo_receive(struct demo *d, const struct demo_item *it,
    const struct product *p, struct demo_batch *b, int64_t minute,
    struct duka_err *err)
{
	struct stock_receipt r;
	int rc;

	stock_receipt_init(&r);
	r.product_id = p->id;
	r.qty = b->qty;
	demo_batch_no(d, it, b->received, r.batch_no, sizeof r.batch_no);
	if (it->shelf > 0)
		date_add_days(d->today, b->expiry, r.expiry);
	date_add_days(d->today, b->received, r.received);
	r.unit_cost = -1;
	r.supplier_id = p->supplier_id;
	demo_reference(d, it, b->received, r.reference, sizeof r.reference);
	r.user = DEMO_USER;
	demo_clock(d, b->received, minute);
	if ((rc = stock_receive(d->db, &r, &b->id, err)) != DUKA_OK)
		return rc;
	d->batches++;
	return DUKA_OK;
}

/* Write off the damaged part of batch b at minute of its delivery day. */
static int
demo_damage(struct demo *d, const struct product *p,
    const struct demo_batch *b, int64_t minute, const char *note,
    struct duka_err *err)
{
	struct stock_issue is;
	int rc;

	memset(&is, 0, sizeof is);
	is.product_id = p->id;
	is.qty = b->damaged;
	is.reason = STOCK_DAMAGE;
	is.batch_id = b->id;
	is.user = DEMO_USER;
	is.note = note;
	demo_clock(d, b->received, minute);
	if ((rc = stock_issue(d->db, &is, NULL, 0, NULL, err)) != DUKA_OK)
		return rc;
	return DUKA_OK;
}

/* One day's sales of one product, before they are rung up. */
struct demo_taking {
	int64_t day;		/* relative to today */
	int64_t qty;		/* thousandths */
};

/* Each batch is sold in up to this many days' takings. */
#define DEMO_TAKING_DAYS 6
#define DEMO_MAX_TAKINGS (DEMO_MAX_BATCHES * DEMO_TAKING_DAYS)

/*
 * What is sold of each batch between its delivery and the next one
 * (yesterday for the last, its expiry if sooner), in up to
 * DEMO_TAKING_DAYS days' takings from the day it came, in batch order;
 * returns how many were written to t.
 */
static int
demo_takings(const struct demo_item *it, const struct demo_batch *b, int n,
    struct demo_taking *t)
{
	int64_t step = demo_step(it), sold, k, j, end, chunk;
	int i, nt = 0;

	for (i = 0; i < n; i++) {
		end = i + 1 < n ? b[i + 1].received : -1;
		if (it->shelf > 0 && b[i].expiry < end)
			end = b[i].expiry;
		if (end < b[i].received)
			end = b[i].received;
		sold = b[i].qty - b[i].left - b[i].damaged;
		if (sold <= 0)
			continue;
		k = end - b[i].received + 1;
		if (k > DEMO_TAKING_DAYS)
			k = DEMO_TAKING_DAYS;
		if (sold / step < k)
			k = sold / step;
		if (k < 1)
			k = 1;
		for (j = 0; j < k && sold > 0; j++) {
			chunk = j == k - 1 ? sold :
			    demo_round_up(sold / (k - j), step);
			if (chunk > sold)
				chunk = sold;
			t[nt].day = b[i].received + (k > 1 ?
			    (end - b[i].received) * j / (k - 1) : 0);
			t[nt].qty = chunk;
			nt++;
			sold -= chunk;
		}
	}
	return nt;
}

/* Sort takings by day (stably) and make one of each day's; returns how
 * many are left. */
static int
demo_takings_merge(struct demo_taking *t, int nt)
{
	struct demo_taking x;
	int i, k, out = 0;

	for (i = 1; i < nt; i++) {
		x = t[i];
		for (k = i; k > 0 && t[k - 1].day > x.day; k--)
			t[k] = t[k - 1];
		t[k] = x;
	}
	for (i = 0; i < nt; i++) {
		if (out > 0 && t[out - 1].day == t[i].day)
			t[out - 1].qty += t[i].qty;
		else
			t[out++] = t[i];
	}
	return out;
}

/*
 * Replay one product's deliveries (each day's before its sales) and
 * takings in memory, taking stock as stock_issue does for a sale: first
 * expiry first out (undated: first in), expired batches skipped (see
 * stock.h). Each taking is cut to what can be taken without going below
 * zero, without meeting expired stock only, and without eating the units
 * a batch keeps (the expired few of DF_EXPIRED): stock_issue would take
 * those before the next batch. So what the replay rings up is exactly
 * what the shelf holds, and the expired few are still there today.
 * Returns how many takings are left (one cut to nothing is dropped).
 */
static int
demo_simulate(const struct demo_item *it, const struct demo_batch *b, int n,
    struct demo_taking *t, int nt)
{
	int64_t rem[DEMO_MAX_BATCHES], need, take, taken;
	int arrived = 0, i, k, best, out = 0;

	for (k = 0; k < nt; k++) {
		while (arrived < n && b[arrived].received <= t[k].day) {
			rem[arrived] = b[arrived].qty - b[arrived].damaged;
			arrived++;
		}
		need = t[k].qty;
		taken = 0;
		while (need > 0) {
			best = -1;
			for (i = 0; i < arrived; i++) {
				if (rem[i] <= 0 || (it->shelf > 0 &&
				    b[i].expiry < t[k].day))
					continue;
				if (best < 0 || (it->shelf > 0 &&
				    b[i].expiry < b[best].expiry))
					best = i;
			}
			if (best < 0)
				break;
			take = rem[best] - b[best].keep;
			if (take > need)
				take = need;
			rem[best] -= take;
			need -= take;
			taken += take;
			/* Stock left here while more is wanted: kept units. */
			if (need > 0 && rem[best] > 0)
				break;
		}
		if (taken > 0) {
			t[out].day = t[k].day;
			t[out].qty = taken;
			out++;
		}
	}
	return out;
}

/* The quantity left today: by fate, in steps of the unit. */
static int64_t
demo_target(struct demo *d, const struct demo_item *it,
    const struct product *p)
{
	int64_t step = demo_step(it);

	switch (it->fate) {
	case DF_OUT:
		return 0;
	case DF_LOW:
		return demo_between(d, 1, p->reorder_level / step) * step;
	default:
		/* Goods that go off within two weeks are bought for days. */
		if (it->shelf > 0 && it->shelf <= 14)
			return p->reorder_level + demo_between(d, 1,
			    p->reorder_qty / 2 / step) * step;
		return p->reorder_level + demo_between(d, 1,
		    p->reorder_qty / step) * step;
	}
}

/*
 * Plan the product's deliveries (oldest first) and what is left of each:
 * older deliveries sold out, except the expired few that DF_EXPIRED keeps
 * in its oldest; the last delivery holds the rest of the target. Sales
 * take stock first expiry first out, so a few units of an older batch that
 * expires after a newer one cannot be planned: the till would sell them.
 */
static int
demo_plan(struct demo *d, const struct demo_item *it, const struct product *p,
    struct demo_batch *b)
{
	int64_t step = demo_step(it), pack = p->pack_size;
	int64_t period, last, target;
	struct demo_batch t;
	int n, i, k, shortlife = it->shelf > 0 && it->shelf <= 14;

	if (shortlife) {
		period = it->shelf / 2 > 2 ? it->shelf / 2 : 2;
		n = 3;
	} else {
		period = p->reorder_qty / it->rate;
		if (period < 7)
			period = 7;
		if (period > 24)
			period = 24;
		n = 1 + (int)demo_between(d, 0, 1) + (period < 15);
	}
	if (it->fate == DF_EXPIRED && n < 2)
		n = 2;
	/* Sold out means the last delivery was a while ago. */
	if (it->fate == DF_OUT)
		last = -demo_between(d, 8, 20);
	else
		last = -demo_between(d, 1, period < 10 ? period : 10);
	memset(b, 0, sizeof *b * DEMO_MAX_BATCHES);
	for (i = 0; i < n; i++) {
		b[i].received = last - (n - 1 - i) * period;
		b[i].expiry = b[i].received + it->shelf +
		    (shortlife ? 0 : demo_between(d, 0, 20));
		b[i].qty = p->reorder_qty;
	}
	/* The till's first day is the shop's big delivery of each line. */
	while (n > 1 && b[1].received <= -DEMO_HISTORY_DAYS) {
		memmove(b, b + 1, sizeof *b * (size_t)(n - 1));
		n--;
	}
	if (b[0].received < -DEMO_HISTORY_DAYS) {
		b[0].received = -DEMO_HISTORY_DAYS;
		if (b[0].expiry < b[0].received + it->shelf)
			b[0].expiry = b[0].received + it->shelf;
	}
	if (it->fate == DF_NEAR)
		b[n - 1].expiry = demo_between(d, 5, 25);
	if (it->fate == DF_EXPIRED) {
		/* The oldest delivery went off one to four days ago. */
		if (b[0].expiry >= 0) {
			b[0].expiry = -demo_between(d, 1, 4);
			b[0].received = b[0].expiry - it->shelf;
		}
		/* Long-life goods: a short-dated lot, bought cheap. */
		if (b[0].received < -DEMO_HISTORY_DAYS)
			b[0].received = -DEMO_HISTORY_DAYS +
			    demo_between(d, 0, 5);
		b[0].left = b[0].keep = demo_between(d, 1, 3) * step;
	}
	target = demo_target(d, it, p);
	b[n - 1].left = target;
	if (b[n - 1].qty < target)
		b[n - 1].qty = demo_round_up(target, pack);
	/* The short-dated lot may have come after others: oldest first. */
	for (i = 1; i < n; i++) {
		t = b[i];
		k = i;
		while (k > 0 && b[k - 1].received > t.received) {
			b[k] = b[k - 1];
			k--;
		}
		b[k] = t;
	}
	return n;
}

/* Record a mishap on the first delivery that sold enough to allow it. */
static void
demo_plan_damage(const struct demo_item *it, struct demo_batch *b, int n,
    const char **note)
{
	size_t i;
	int k;

	*note = NULL;
	for (i = 0; i < sizeof demo_damages / sizeof demo_damages[0]; i++) {
		if (strcmp(demo_damages[i].sku, it->sku) != 0)
			continue;
		for (k = 0; k < n; k++) {
			if (b[k].qty - b[k].left >= 3 * demo_damages[i].qty) {
				b[k].damaged = demo_damages[i].qty;
				*note = demo_damages[i].note;
				return;
			}
		}
	}
}

/* What happens on a day of the history, in this order. */
enum demo_kind { DE_DELIVERY, DE_TAKING };

/* One event of the history: a delivery, or a day's takings of a product. */
struct demo_event {
	int64_t day;		/* relative to today */
	int kind;		/* enum demo_kind */
	int batch;		/* DE_DELIVERY: the product's batch */
	size_t item;		/* index in demo_items */
	int64_t qty;		/* DE_TAKING: thousandths sold */
	size_t seq;		/* planning order: keeps the sort stable */
};

/* A product as made, with its planned deliveries. */
struct demo_product {
	struct product p;
	struct demo_batch b[DEMO_MAX_BATCHES];
	int n;
	const char *note;	/* what the damage was, or NULL */
};

/* The whole history: planned product by product, replayed day by day. */
struct demo_history {
	struct demo_product *prod;	/* DEMO_NITEMS of them */
	struct demo_event *ev;
	size_t nev, cap;
	struct demo_event *part;	/* a day's takings, as customers buy */
	size_t npart, pcap;
};

/* Append an event to the history. */
static int
demo_event_add(struct demo_history *h, int64_t day, int kind, size_t item,
    int batch, int64_t qty, struct duka_err *err)
{
	struct demo_event *ev;
	size_t cap;

	if (h->nev == h->cap) {
		cap = h->cap ? h->cap * 2 : 1024;
		if ((ev = realloc(h->ev, cap * sizeof *ev)) == NULL)
			return duka_fail(err, DUKA_EFAIL, _("out of memory"));
		h->ev = ev;
		h->cap = cap;
	}
	ev = &h->ev[h->nev];
	ev->day = day;
	ev->kind = kind;
	ev->item = item;
	ev->batch = batch;
	ev->qty = qty;
	ev->seq = h->nev++;
	return DUKA_OK;
}

/* qsort: by day, deliveries before takings, then as planned. */
static int
demo_event_cmp(const void *a, const void *b)
{
	const struct demo_event *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Plan one product's deliveries and takings as events of the history. */
static int
demo_plan_product(struct demo *d, struct demo_history *h, size_t item,
    struct duka_err *err)
{
	const struct demo_item *it = &demo_items[item];
	struct demo_product *dp = &h->prod[item];
	struct demo_taking t[DEMO_MAX_TAKINGS];
	int nt, i, rc;

	dp->n = demo_plan(d, it, &dp->p, dp->b);
	demo_plan_damage(it, dp->b, dp->n, &dp->note);
	nt = demo_takings(it, dp->b, dp->n, t);
	nt = demo_takings_merge(t, nt);
	nt = demo_simulate(it, dp->b, dp->n, t, nt);
	for (i = 0; i < dp->n; i++)
		if ((rc = demo_event_add(h, dp->b[i].received, DE_DELIVERY,
		    item, i, 0, err)) != DUKA_OK)
			return rc;
	for (i = 0; i < nt; i++)
		if ((rc = demo_event_add(h, t[i].day, DE_TAKING, item, 0,
		    t[i].qty, err)) != DUKA_OK)
			return rc;
	return DUKA_OK;
}

/*
 * An M-PESA confirmation code for a payment on day: ten capitals and
 * digits in Safaricom's shape (a letter for the year, one for the month,
 * one for the day of the month, then seven more). The last three count
 * the demo's codes in base 36, so that no two are the same.
 */
static void
demo_mpesa_code(struct demo *d, int64_t day, char out[PAY_REF_MAX])
{
	static const char digits[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	char date[DATE_LEN];
	long n = d->mpesa_codes++;
	int y, m, dd, i;

	date_add_days(d->today, day, date);
	y = atoi(date);
	m = atoi(date + 5);
	dd = atoi(date + 8);
	out[0] = (char)('A' + ((y - 2006) % 26 + 26) % 26);
	out[1] = (char)('A' + m - 1);
	out[2] = digits[dd];
	for (i = 3; i < 7; i++)
		out[i] = digits[demo_between(d, 0, 35)];
	for (i = 9; i >= 7; i--) {
		out[i] = digits[n % 36];
		n /= 36;
	}
	out[10] = '\0';
}

/*
 * What a customer paying cash hands over for total: the total rounded up
 * to the next KSh 50, 100, 200, 500 or 1,000, now and then the exact sum.
 */
static int64_t
demo_cash_given(struct demo *d, int64_t total)
{
	static const int64_t notes[] = { 5000, 10000, 20000, 50000, 100000 };
	int64_t opt[6], v;
	size_t i;
	int n = 0;

	if (total % 1000 == 0 && demo_between(d, 0, 4) == 0)
		return total;
	for (i = 0; i < sizeof notes / sizeof notes[0]; i++) {
		v = demo_round_up(total, notes[i]);
		if (n == 0 || v != opt[n - 1])
			opt[n++] = v;
	}
	return opt[demo_between(d, 0, n - 1)];
}

/*
 * Ring up one sale of the takings ev[0..n-1] at minute of day, paid as
 * Kenyan customers pay: cash with change, M-PESA, now and then a card,
 * part cash and the rest M-PESA, or on account for a regular.
 */
static int
demo_sale(struct demo *d, const struct demo_history *h,
    const struct demo_event *ev, size_t n, int64_t day, int64_t minute,
    struct duka_err *err)
{
	struct sale_request req;
	struct sale_result res;
	struct tender tn[2];
	char token[32];
	int64_t total, r;
	size_t i;
	int c, rc;

	cart_clear(d->cart);
	for (i = 0; i < n; i++)
		if ((rc = cart_add(d->cart, &h->prod[ev[i].item].p, ev[i].qty,
		    err)) != DUKA_OK)
			return rc;
	total = d->cart->sum.total;
	memset(tn, 0, sizeof tn);
	memset(&req, 0, sizeof req);
	req.ntenders = 1;
	r = demo_between(d, 0, 99);
	c = (int)demo_between(d, 0, (int64_t)DEMO_NCUSTOMERS - 1);
	if (r < 3 && d->owed[c] + total <= demo_customers[c].limit) {
		tn[0].method = PAY_ACCOUNT;
		tn[0].customer_id = req.customer_id = d->customer_id[c];
	} else if (r < 9 && total >= 50000) {
		tn[0].method = PAY_CARD;
		snprintf(tn[0].reference, sizeof tn[0].reference,
		    "AUTH %06lld", (long long)demo_between(d, 0, 999999));
	} else if (r < 13 && total >= 30000) {
		/* "Take KSh 100 cash, the rest M-PESA." */
		tn[0].method = PAY_CASH;
		tn[0].amount = total / 2 / 10000 * 10000;
		tn[1].method = PAY_MPESA;
		demo_mpesa_code(d, day, tn[1].reference);
		req.ntenders = 2;
	} else if (r < 55) {
		tn[0].method = PAY_MPESA;
		demo_mpesa_code(d, day, tn[0].reference);
	} else {
		tn[0].method = PAY_CASH;
		tn[0].amount = demo_cash_given(d, total);
	}
	snprintf(token, sizeof token, "demo-%ld", d->sales + 1);
	req.cart = d->cart;
	req.tenders = tn;
	req.till_id = d->cfg.till_id;
	req.user = DEMO_USER;
	req.cart_token = token;
	demo_clock(d, day, minute);
	if ((rc = sale_commit(d->db, &req, &d->cfg, &res, err)) != DUKA_OK)
		return rc;
	if (tn[0].method == PAY_ACCOUNT)
		d->owed[c] += res.total;
	d->sales++;
	d->lines += (long)n;
	d->takings += res.total;
	return DUKA_OK;
}

/*
 * Cut the day's takings ev[0..n-1] into what single customers buy: each
 * into one to four parts, in whole steps of its unit, into h->part.
 */
static int
demo_day_parts(struct demo *d, struct demo_history *h,
    const struct demo_event *ev, size_t n, struct duka_err *err)
{
	struct demo_event *part;
	int64_t step, units, k, parts;
	size_t i, cap;

	h->npart = 0;
	for (i = 0; i < n; i++) {
		step = demo_step(&demo_items[ev[i].item]);
		units = ev[i].qty / step;
		parts = demo_between(d, 1, 4);
		if (parts > units)
			parts = units;
		if (parts < 1)
			parts = 1;
		if (h->npart + (size_t)parts > h->pcap) {
			cap = h->pcap ? h->pcap * 2 : 1024;
			while (cap < h->npart + (size_t)parts)
				cap *= 2;
			if ((part = realloc(h->part, cap * sizeof *part)) ==
			    NULL)
				return duka_fail(err, DUKA_EFAIL,
				    _("out of memory"));
			h->part = part;
			h->pcap = cap;
		}
		for (k = 0; k < parts; k++) {
			part = &h->part[h->npart++];
			*part = ev[i];
			/* The last part takes what the steps leave over. */
			part->qty = k == parts - 1 ?
			    ev[i].qty - (units / parts) * (parts - 1) * step :
			    units / parts * step;
		}
	}
	return DUKA_OK;
}

/*
 * The day's takings as customers' sales of one to five lines (most of
 * one or two), spread from 09:10 to 19:50 in ringing order.
 */
static int
demo_day_sales(struct demo *d, struct demo_history *h,
    const struct demo_event *ev, size_t nev, int64_t day,
    struct duka_err *err)
{
	struct demo_event x, *p;
	size_t i, k, g, n, gap;
	int64_t a, b;
	int rc;

	if ((rc = demo_day_parts(d, h, ev, nev, err)) != DUKA_OK)
		return rc;
	p = h->part;
	n = h->npart;
	/* Customers come in any order. */
	for (k = n; k > 1; k--) {
		i = (size_t)demo_between(d, 0, (int64_t)k - 1);
		x = p[k - 1];
		p[k - 1] = p[i];
		p[i] = x;
	}
	gap = n > 0 ? 640 / n : 0;
	for (i = 0; i < n; i += g) {
		a = demo_between(d, 0, 4);
		b = demo_between(d, 0, 4);
		g = (size_t)(1 + (a < b ? a : b));
		if (g > n - i)
			g = n - i;
		if ((rc = demo_sale(d, h, p + i, g, day, 130 +
		    (int64_t)(640 * i / n) + demo_between(d, 0,
		    gap > 1 ? (int64_t)gap - 1 : 0), err)) != DUKA_OK)
			return rc;
	}
	return DUKA_OK;
}

/* At the end of a week the customers on account pay by M-PESA: all they
 * owe, or half of it in whole hundreds. */
static int
demo_accounts_paid(struct demo *d, int64_t day, struct duka_err *err)
{
	char code[PAY_REF_MAX];
	int64_t amount;
	size_t c;
	int rc;

	for (c = 0; c < DEMO_NCUSTOMERS; c++) {
		if (d->owed[c] <= 0)
			continue;
		amount = d->owed[c] / 2 / 10000 * 10000;
		if (amount <= 0 || demo_between(d, 0, 1))
			amount = d->owed[c];
		demo_mpesa_code(d, day, code);
		demo_clock(d, day, 540 + (int64_t)c * 20);
		if ((rc = customer_pay(d->db, d->customer_id[c], amount,
		    PAY_MPESA, code, DEMO_USER, err)) != DUKA_OK)
			return rc;
		d->owed[c] -= amount;
	}
	return DUKA_OK;
}

/* The till's float, put in the drawer at every opening: KSh 2,000. */
#define DEMO_FLOAT INT64_C(200000)

/*
 * One day of the shop: open the shift at 06:30 with the float, take the
 * day's deliveries (07:00 to 09:00), ring up its sales, let the customers
 * on account pay on the seventh day, and close the shift with a Z at
 * 20:00, the cash counted now and then a few shillings over or short.
 * *pos is the day's first event, and then the next day's.
 */
static int
demo_day(struct demo *d, struct demo_history *h, int64_t day,
    int64_t first_day, size_t *pos, struct duka_err *err)
{
	struct shift_report rep;
	struct demo_product *dp;
	struct demo_batch *b;
	int64_t shift_id, counted, minute, r;
	size_t i = *pos, j;
	int rc;

	demo_clock(d, day, -30);
	if ((rc = shift_open(d->db, d->cfg.till_id, DEMO_FLOAT, DEMO_USER,
	    &shift_id, err)) != DUKA_OK)
		return rc;
	for (; i < h->nev && h->ev[i].day == day &&
	    h->ev[i].kind == DE_DELIVERY; i++) {
		dp = &h->prod[h->ev[i].item];
		b = &dp->b[h->ev[i].batch];
		minute = demo_between(d, 0, 120);
		if ((rc = demo_receive(d, &demo_items[h->ev[i].item], &dp->p,
		    b, minute, err)) != DUKA_OK)
			return rc;
		if (b->damaged > 0 && (rc = demo_damage(d, &dp->p, b,
		    minute + 2, dp->note, err)) != DUKA_OK)
			return rc;
	}
	for (j = i; j < h->nev && h->ev[j].day == day; j++)
		continue;
	if ((rc = demo_day_sales(d, h, h->ev + i, j - i, day, err)) !=
	    DUKA_OK)
		return rc;
	*pos = j;
	if ((day - first_day) % 7 == 6 &&
	    (rc = demo_accounts_paid(d, day, err)) != DUKA_OK)
		return rc;

	demo_clock(d, day, 780);
	if ((rc = shift_report(d->db, shift_id, &rep, err)) != DUKA_OK)
		return rc;
	counted = rep.expected_cash;
	r = demo_between(d, 0, 9);
	if (r == 0)
		counted -= demo_between(d, 1, 10) * 1000;
	else if (r == 1)
		counted += demo_between(d, 1, 4) * 500;
	if ((rc = shift_close(d->db, d->cfg.till_id, counted, DEMO_USER, &rep,
	    err)) != DUKA_OK)
		return rc;
	d->shifts++;
	return DUKA_OK;
}

/* Mark the database as the demo shop (shop_meta demo = 1). */
static int
demo_mark(struct db *db, struct duka_err *err)
{
	sqlite3_stmt *st;
	int rc;

	st = db_stmt(db, "INSERT INTO shop_meta(key, value) VALUES (?1, ?2) "
	    "ON CONFLICT(key) DO UPDATE SET value = excluded.value", err);
	if (st == NULL)
		return err->code;
	sqlite3_bind_text(st, 1, "demo", -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, "1", -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_DONE ? DUKA_OK :
	    db_fail(db, err, _("marking the database as the demo shop"));
	db_done(st);
	return rc;
}

/*
 * The plan promises a shop with every status to show; make sure the
 * replay kept that promise rather than print a summary that breaks it.
 */
static int
demo_verify(struct demo *d, struct duka_err *err)
{
	struct inventory_summary s;
	int rc;

	if ((rc = inventory_summary(d->db, d->cfg.near_expiry_days, &s,
	    err)) != DUKA_OK)
		return rc;
	if (s.low < 1 || s.out < 1 || s.near_expiry < 1 || s.expired < 1 ||
	    s.negative != 0)
		return duka_fail(err, DUKA_EFAIL, _("internal error: the demo "
		    "shop came out with %lld low, %lld out, %lld near expiry, "
		    "%lld expired and %lld negative"), (long long)s.low,
		    (long long)s.out, (long long)s.near_expiry,
		    (long long)s.expired, (long long)s.negative);
	return DUKA_OK;
}

/* Write the whole shop into h; the caller holds the transaction. */
static int
demo_build_in(struct demo *d, struct demo_history *h, struct duka_err *err)
{
	size_t i, pos = 0;
	int64_t day, first;
	int rc;

	/* The shop opened two months ago: its catalogue dates from then. */
	demo_clock(d, -DEMO_OPENED_DAYS, 0);
	for (i = 0; i < C_COUNT; i++)
		if ((rc = catalog_category_ensure(d->db, demo_categories[i],
		    &d->category_id[i], err)) != DUKA_OK)
			return rc;
	for (i = 0; i < S_COUNT; i++)
		if ((rc = catalog_supplier_ensure(d->db, demo_suppliers[i].name,
		    demo_suppliers[i].phone, demo_suppliers[i].lead_days,
		    &d->supplier_id[i], err)) != DUKA_OK)
			return rc;
	for (i = 0; i < DEMO_NITEMS; i++) {
		demo_clock(d, -DEMO_OPENED_DAYS, demo_between(d, 0, 300));
		if ((rc = demo_product(d, &demo_items[i], i, &h->prod[i].p,
		    err)) != DUKA_OK)
			return rc;
	}
	for (i = 0; i < DEMO_NCUSTOMERS; i++) {
		demo_clock(d, -DEMO_OPENED_DAYS, 320 + (int64_t)i * 15);
		if ((rc = customer_add(d->db, demo_customers[i].name,
		    demo_customers[i].phone, demo_customers[i].limit,
		    &d->customer_id[i], err)) != DUKA_OK)
			return rc;
	}

	/* Plan every product, then live the days in order. */
	for (i = 0; i < DEMO_NITEMS; i++)
		if ((rc = demo_plan_product(d, h, i, err)) != DUKA_OK)
			return rc;
	qsort(h->ev, h->nev, sizeof *h->ev, demo_event_cmp);
	first = h->nev > 0 ? h->ev[0].day : -1;
	for (day = first; day <= -1; day++)
		if ((rc = demo_day(d, h, day, first, &pos, err)) != DUKA_OK)
			return rc;
	if ((rc = demo_verify(d, err)) != DUKA_OK)
		return rc;
	return demo_mark(d->db, err);
}

/* Write the whole shop; the caller holds the transaction. */
static int
demo_build(struct demo *d, struct duka_err *err)
{
	struct demo_history h;
	int rc;

	memset(&h, 0, sizeof h);
	h.prod = calloc(DEMO_NITEMS, sizeof *h.prod);
	d->cart = cart_new();
	if (h.prod == NULL || d->cart == NULL)
		rc = duka_fail(err, DUKA_EFAIL, _("out of memory"));
	else
		rc = demo_build_in(d, &h, err);
	cart_free(d->cart);
	d->cart = NULL;
	free(h.ev);
	free(h.part);
	free(h.prod);
	return rc;
}

/* inventory_list callback: note that a product exists and stop. */
static int
demo_found(void *ctx, const struct inventory_row *row)
{
	(void)row;
	*(int *)ctx = 1;
	return 1;
}

/* Does the open database hold any product, active or not? */
static int
demo_has_products(struct db *db, int *any, struct duka_err *err)
{
	struct inventory_filter f;

	memset(&f, 0, sizeof f);
	f.sort = SORT_SKU;
	f.include_inactive = 1;
	*any = 0;
	return inventory_list(db, &f, demo_found, any, err);
}

/* Delete the database file and SQLite's companions of it. */
static int
demo_remove(const char *path, struct duka_err *err)
{
	static const char *const suffix[] = { "", "-wal", "-shm", "-journal" };
	char name[4200];
	size_t i;

	for (i = 0; i < sizeof suffix / sizeof suffix[0]; i++) {
		snprintf(name, sizeof name, "%s%s", path, suffix[i]);
		if (unlink(name) != 0 && errno != ENOENT)
			return duka_fail(err, DUKA_EFAIL,
			    _("cannot delete %s: %s"), name, strerror(errno));
	}
	return DUKA_OK;
}

/*
 * Open the database for the demo: refuse one that holds products unless
 * force, in which case it is deleted first and made anew. An existing
 * database without products (after duka init) is filled as it is.
 */
static int
demo_open(struct app *app, int force, struct duka_err *err)
{
	struct stat sb;
	int rc, any;

	if (stat(app->db_path, &sb) == 0) {
		if (S_ISDIR(sb.st_mode))
			return duka_fail(err, DUKA_EINPUT, _("%s is a folder, "
			    "not a database file; give a file name with --db"),
			    app->db_path);
		if (force) {
			if ((rc = demo_remove(app->db_path, err)) != DUKA_OK)
				return rc;
		} else {
			if ((rc = db_open(app->db_path, DB_OPEN_EXISTING,
			    &app->db, err)) != DUKA_OK)
				return rc;
			if ((rc = demo_has_products(app->db, &any, err)) !=
			    DUKA_OK)
				return rc;
			if (any)
				return duka_fail(err, DUKA_EINPUT,
				    _("%s already holds a shop with products; "
				    "nothing was changed (duka demo --force "
				    "deletes it and builds the demo shop in "
				    "its place)"), app->db_path);
			return DUKA_OK;
		}
	}
	return db_open(app->db_path, DB_OPEN_CREATE, &app->db, err);
}

/* Print what the demo shop holds. */
static int
demo_summary(struct app *app, const struct demo *d, struct duka_err *err)
{
	struct inventory_summary s;
	char cost[MONEY_MAX_TEXT], price[MONEY_MAX_TEXT];
	char sold[MONEY_MAX_TEXT];
	int rc;

	if ((rc = inventory_summary(app->db, app->cfg.near_expiry_days, &s,
	    err)) != DUKA_OK)
		return rc;
	money_format_ksh(s.value_at_cost, cost, sizeof cost);
	money_format_ksh(s.value_at_price, price, sizeof price);
	printf(_("Built the demo shop in %s\n"), app->db_path);
	printf(_("Products:        %lld in %lld categories, from %d "
	    "suppliers\n"), (long long)s.products, (long long)s.categories,
	    (int)S_COUNT);
	printf(_("Barcodes:        %ld\n"), d->barcodes);
	printf(_("Deliveries:      %ld batches\n"), d->batches);
	money_format_ksh(d->takings, sold, sizeof sold);
	printf(_("Sales:           %ld receipts over %ld days, %s "
	    "(%ld lines)\n"), d->sales, d->shifts, sold, d->lines);
	printf(_("Shifts:          %ld, each closed with a Z report\n"),
	    d->shifts);
	printf(_("Customers:       %d buying on account\n"),
	    (int)DEMO_NCUSTOMERS);
	printf(_("Stock value:     %s at cost (%s at shelf prices)\n"), cost,
	    price);
	printf(_("Low stock:       %lld\n"), (long long)s.low);
	printf(_("Out of stock:    %lld\n"), (long long)s.out);
	printf(_("Near expiry:     %lld (within %lld days)\n"),
	    (long long)s.near_expiry, (long long)app->cfg.near_expiry_days);
	printf(_("Expired:         %lld\n"), (long long)s.expired);
	printf(_("Try: duka --db %s inventory --status low\n"), app->db_path);
	return DUKA_OK;
}

int
cmd_demo(struct app *app, int argc, char **argv, struct duka_err *err)
{
	struct demo d;
	char *saved_now = NULL;
	const char *env;
	int force = 0, rc, i;

	for (i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--force") == 0) {
			force = 1;
		} else if (strcmp(argv[i], "--help") == 0 ||
		    strcmp(argv[i], "-h") == 0) {
			cli_usage(stdout, "demo", "[--force]", _("Builds a "
			    "demo Kenyan shop (about 200 products with "
			    "barcodes, suppliers,\n"
			    "stock in dated batches, some low, out or "
			    "expiring, and 30 days of sales\n"
			    "with closed shifts) at the --db path.\n"
			    "A database that already holds products is "
			    "refused.\n\n"
			    "  --force   delete the database at the path first "
			    "(it cannot be undone)\n"));
			return DUKA_OK;
		} else {
			return duka_fail(err, DUKA_EUSAGE, _("duka demo: "
			    "unknown argument \"%s\" (see duka demo --help)"),
			    argv[i]);
		}
	}
	if ((rc = demo_open(app, force, err)) != DUKA_OK)
		return rc;

	memset(&d, 0, sizeof d);
	d.db = app->db;
	d.rng = 0x44554b4144454d4fULL;	/* "DUKADEMO" */
	date_today(d.today);
	/* The demo's own till "1", with the default limits; no sale goes
	 * below zero (the replay sees to it), but none is refused for it. */
	settings_defaults(&d.cfg);
	snprintf(d.cfg.till_id, sizeof d.cfg.till_id, "1");
	d.cfg.allow_negative_stock = 1;
	/* The history moves the clock; keep the caller's to put it back. */
	if ((env = getenv("DUKA_NOW")) != NULL &&
	    (saved_now = strdup(env)) == NULL)
		return duka_fail(err, DUKA_EFAIL, _("out of memory"));

	if ((rc = db_begin(app->db, err)) == DUKA_OK) {
		if ((rc = demo_build(&d, err)) == DUKA_OK)
			rc = db_commit(app->db, err);
		else
			db_rollback(app->db);
	}

	if (saved_now != NULL)
		setenv("DUKA_NOW", saved_now, 1);
	else
		unsetenv("DUKA_NOW");
	free(saved_now);
	if (rc != DUKA_OK)
		return rc;
	return demo_summary(app, &d, err);
}
