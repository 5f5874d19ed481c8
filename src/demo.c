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
 * Everything is written through the modules' own functions (catalog_*,
 * stock_*) inside one outer transaction, so the demo shop obeys every rule
 * a real one does and a failure leaves no half shop behind.
 *
 * History: the shop's past is written with the clock moved back (DUKA_NOW,
 * see date.h), so that a batch received three weeks ago carries the time
 * stamps of that day and was still good on the day it arrived. The clock
 * is put back before the command returns, whatever happens.
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
#include <unistd.h>

#include "barcode.h"
#include "catalog.h"
#include "cli.h"
#include "date.h"
#include "i18n.h"
#include "inventory.h"
#include "money.h"
#include "stock.h"

/* Who the demo's movements are recorded as. */
#define DEMO_USER "demo"
/* The shop opened this many days ago: products are created then. */
#define DEMO_OPENED_DAYS 60
/* No delivery is older than this many days. */
#define DEMO_HISTORY_DAYS 55
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

/* The generator's state and what was written, for the summary. */
struct demo {
	struct db *db;
	uint64_t rng;
	char today[DATE_LEN];
	int64_t category_id[C_COUNT];
	int64_t supplier_id[S_COUNT];
	long products, barcodes, batches, movements;
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
 * Move the clock (DUKA_NOW) to minute minutes after 07:00 UTC on the day
 * today + day. When the shop's time zone puts that instant on another
 * local date, shift it by whole days so that the local date is the one
 * asked for.
 */
static void
demo_clock(struct demo *d, int64_t day, int64_t minute)
{
	char date[DATE_LEN], got[DATE_LEN], stamp[TIMESTAMP_LEN];
	int64_t t;

	date_add_days(d->today, day, date);
	t = date_diff_days("1970-01-01", date) * 86400 + 7 * 3600 +
	    minute * 60 + demo_between(d, 0, 59);
	date_timestamp(t, stamp);
	setenv("DUKA_NOW", stamp, 1);
	date_today(got);
	if (strcmp(got, date) != 0) {
		t -= date_diff_days(date, got) * 86400;
		date_timestamp(t, stamp);
		setenv("DUKA_NOW", stamp, 1);
	}
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

/* Receive one batch on its day. */
static int
demo_receive(struct demo *d, const struct demo_item *it,
    const struct product *p, struct demo_batch *b, struct duka_err *err)
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
	demo_clock(d, b->received, demo_between(d, 0, 120));
	if ((rc = stock_receive(d->db, &r, &b->id, err)) != DUKA_OK)
		return rc;
	d->batches++;
	d->movements++;
	return DUKA_OK;
}

/* Take qty out of batch b on day with a reason (sale or damage). */
static int
demo_take(struct demo *d, const struct product *p, const struct demo_batch *b,
    int64_t day, int64_t qty, enum stock_reason reason, const char *note,
    struct duka_err *err)
{
	struct stock_issue is;
	char ref[32], date[DATE_LEN];
	int rc;

	date_add_days(d->today, day, date);
	memset(&is, 0, sizeof is);
	is.product_id = p->id;
	is.qty = qty;
	is.reason = reason;
	is.unit_price = reason == STOCK_SALE ? p->price : 0;
	is.batch_id = b->id;
	if (reason == STOCK_SALE) {
		/* The day's takings, as a Z report would number them. */
		snprintf(ref, sizeof ref, "Z-%.4s%.2s%.2s", date, date + 5,
		    date + 8);
		is.reference = ref;
	}
	is.user = DEMO_USER;
	is.note = note;
	demo_clock(d, day, demo_between(d, 180, 600));
	if ((rc = stock_issue(d->db, &is, NULL, 0, NULL, err)) != DUKA_OK)
		return rc;
	d->movements++;
	return DUKA_OK;
}

/*
 * Sell what went from batch b between its delivery and last_day, in up to
 * three takings on different days.
 *
 * Until the sale module exists (a later issue) these are bare stock
 * movements with reason "sale", one per day's takings; once sales exist,
 * the demo should ring up 30 days of real sales through the sale module
 * instead, so that reports, Z reports and payments have a history too.
 */
static int
demo_sell(struct demo *d, const struct demo_item *it, const struct product *p,
    const struct demo_batch *b, int64_t last_day, struct duka_err *err)
{
	int64_t sold = b->qty - b->left - b->damaged, step = demo_step(it);
	int64_t k, j, days = last_day - b->received + 1, chunk, day;
	int rc;

	if (sold <= 0)
		return DUKA_OK;
	k = days < 3 ? days : 3;
	if (sold / step < k)
		k = sold / step;
	if (k < 1)
		k = 1;
	for (j = 0; j < k; j++) {
		chunk = j == k - 1 ? sold : demo_round_up(sold / (k - j), step);
		if (chunk > sold)
			chunk = sold;
		day = b->received + (last_day - b->received) * (j + 1) / k;
		if ((rc = demo_take(d, p, b, day, chunk, STOCK_SALE, NULL,
		    err)) != DUKA_OK)
			return rc;
		sold -= chunk;
		if (sold <= 0)
			break;
	}
	return DUKA_OK;
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
 * older deliveries sold out, except the expired few of DF_EXPIRED and, for
 * long-life goods, sometimes a few units of the one before; the last
 * delivery holds the rest of the target.
 */
static int
demo_plan(struct demo *d, const struct demo_item *it, const struct product *p,
    struct demo_batch *b)
{
	int64_t step = demo_step(it), pack = p->pack_size;
	int64_t period, last, target, old;
	int n, i, shortlife = it->shelf > 0 && it->shelf <= 14;

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
	while (n > 1 && b[0].received < -DEMO_HISTORY_DAYS) {
		memmove(b, b + 1, sizeof *b * (size_t)(n - 1));
		n--;
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
		b[0].left = demo_between(d, 1, 3) * step;
	}
	target = demo_target(d, it, p);
	if (it->fate == DF_OK && n > 1 && it->shelf > 60 &&
	    target >= 4 * step && b[n - 2].expiry > 30 &&
	    demo_between(d, 0, 1)) {
		old = demo_between(d, 1, 3) * step;
		b[n - 2].left = old;
		target -= old;
	}
	b[n - 1].left = target;
	if (b[n - 1].qty < target)
		b[n - 1].qty = demo_round_up(target, pack);
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

/* Deliver and sell the product's stock, day by day, as planned. */
static int
demo_stock(struct demo *d, const struct demo_item *it,
    const struct product *p, struct duka_err *err)
{
	struct demo_batch b[DEMO_MAX_BATCHES];
	const char *note;
	int64_t end;
	int n, i, rc;

	n = demo_plan(d, it, p, b);
	demo_plan_damage(it, b, n, &note);
	for (i = 0; i < n; i++) {
		if ((rc = demo_receive(d, it, p, &b[i], err)) != DUKA_OK)
			return rc;
		/* Sold until the next delivery, yesterday, or its expiry. */
		end = i + 1 < n ? b[i + 1].received : -1;
		if (it->shelf > 0 && b[i].expiry < end)
			end = b[i].expiry;
		if (end < b[i].received)
			end = b[i].received;
		if (b[i].damaged > 0 && (rc = demo_take(d, p, &b[i],
		    b[i].received, b[i].damaged, STOCK_DAMAGE, note, err)) !=
		    DUKA_OK)
			return rc;
		if ((rc = demo_sell(d, it, p, &b[i], end, err)) != DUKA_OK)
			return rc;
	}
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

/* Write the whole shop; the caller holds the transaction. */
static int
demo_build(struct demo *d, struct duka_err *err)
{
	struct product p;
	size_t i;
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
		if ((rc = demo_product(d, &demo_items[i], i, &p, err)) !=
		    DUKA_OK || (rc = demo_stock(d, &demo_items[i], &p, err)) !=
		    DUKA_OK)
			return rc;
	}
	return demo_mark(d->db, err);
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
	printf(_("Deliveries:      %ld batches, %ld stock movements\n"),
	    d->batches, d->movements);
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
			    "expiring) at the --db path.\n"
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
