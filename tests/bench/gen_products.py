#!/usr/bin/env python3
"""gen_products.py N OUT.csv - a products CSV for the benchmarks.

N products with believable names (brand, product, size), unique SKUs and
one valid EAN-13 barcode each (Kenyan GS1 prefix 616). Deterministic: the
same N gives the same file.
"""
import random
import sys

BRANDS = ["Jogoo", "Soko", "Pembe", "Exe", "Ajab", "Mumias", "Kabras",
          "Brookside", "Tuzo", "Mala", "Kimbo", "Kasuku", "Elianto",
          "Ketepa", "Menengai", "Sunlight", "Omo", "Colgate", "Daawat",
          "Supaloaf", "Festive", "Kericho", "Nice", "Tropical", "Royco",
          "Afya", "Geisha", "Jamaa", "Dettol", "Blue Band"]
ITEMS = ["Maize Flour", "Wheat Flour", "Sugar", "Rice", "Cooking Fat",
         "Vegetable Oil", "Fresh Milk", "Yoghurt", "Tea Leaves", "Bar Soap",
         "Washing Powder", "Toothpaste", "Bread", "Biscuits", "Sweets",
         "Mchuzi Mix", "Salt", "Margarine", "Juice", "Soda", "Tissue",
         "Matches", "Candles", "Spaghetti", "Beans", "Green Grams",
         "Lentils", "Peanut Butter", "Jam", "Drinking Water"]
SIZES = ["100g", "250g", "500g", "1kg", "2kg", "5kg", "250ml", "500ml",
         "1L", "2L", "3L", "10pcs", "Pack of 6", "Carton"]
CATEGORIES = ["Flour", "Sugar", "Dairy", "Bakery", "Beverages", "Soap",
              "Cooking Oil", "Cereals", "Snacks", "Household", "Toiletries",
              "Spices"]


def ean13(twelve):
    s = sum(int(c) * (3 if i % 2 else 1) for i, c in enumerate(twelve))
    return twelve + str((10 - s % 10) % 10)


def main():
    n = int(sys.argv[1])
    rnd = random.Random(20261125)
    with open(sys.argv[2], "w", encoding="utf-8", newline="") as f:
        f.write("sku,name,price,cost,category,unit,tax,barcode,"
                "reorder_level\n")
        for i in range(n):
            name = "%s %s %s" % (rnd.choice(BRANDS), rnd.choice(ITEMS),
                                 rnd.choice(SIZES))
            price = rnd.randint(20, 3000) * 100 + rnd.choice([0, 50])
            cost = price * rnd.randint(70, 90) // 100
            code = ean13("616%09d" % (i + 1))
            f.write('P%06d,"%s %d",%d.%02d,%d.%02d,%s,piece,standard,%s,%d\n'
                    % (i + 1, name, i + 1, price // 100, price % 100,
                       cost // 100, cost % 100, rnd.choice(CATEGORIES), code,
                       rnd.randint(0, 20)))


if __name__ == "__main__":
    main()
