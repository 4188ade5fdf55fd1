"""Word lists the seed draws from: German pharmacy customers and medical-cannabis flower names.

Every person here is invented; e-mail addresses use the reserved example domains.
"""

# fmt: off
ORGS = (("org1", "Demo Org DEV"), ("org2", "Apotheke am Markt"))

#: The four shops of the examples page (org1) and one shop of a second org, so that org_mismatch is real.
SHOPS = (
    ("shop1", "org1", "Demo Shop DEV"),
    ("testtttt", "org1", "Medikamentenmanfred"),
    ("release23", "org1", "release23"),
    ("shop3", "org1", "Weed Bank"),
    ("markt1", "org2", "Apotheke am Markt"),
)

#: Share of an org's orders each shop receives, and share of the catalogue it lists.
SHOP_ORDER_WEIGHTS = {"shop1": 70, "shop3": 20, "testtttt": 6, "release23": 4, "markt1": 1}
SHOP_LISTING_SHARE = {"shop1": 1.0, "shop3": 0.6, "testtttt": 0.3, "release23": 0.2, "markt1": 0.7}

#: Products the examples page shows, kept at their documented ids, names and prices.
FIXED_PRODUCTS = ((57672, "24/1 IUVO KC OJ Zainbow", 8.75), (57674, "ZOIKS 31/1 MN Moonlight Nectar", 6.45))

BRANDS = (
    "IUVO", "ZOIKS", "Aurora", "Bedrocan", "Pedanios", "Four 20", "Cannamedical", "Demecan", "Remexian",
    "Adven", "Enua", "Grünhorn", "Tilray", "Peace Naturals", "Canify", "Amici",
)
ORIGINS = ("KC", "PT", "DK", "DE", "CA", "MK", "CO", "UY", "NL")
STRAINS = (
    "Moonlight Nectar", "Pink Kush", "Wedding Cake", "Gelato", "Lemon Haze", "Ghost Train Haze",
    "Master Kush", "Gorilla Glue", "Sour Diesel", "Jack Herer", "Amnesia Haze", "Critical Mass", "Blue Dream",
    "Orange Juice",
    "Slurricane", "Ice Cream Cake", "Tropicana Cookies", "Black Domina", "Northern Lights", "Durban Poison",
    "Papaya", "Lemon Skunk", "Kosher Kush", "Mango Sherbet", "Gary Payton", "Apple Fritter", "Runtz",
    "Girl Scout Cookies", "White Widow", "Strawberry Banana", "Purple Punch", "Cherry Pie", "Sweet Zkittlez",
    "Wappa", "Candy Kush", "Lavender", "Peach Rings", "Garlic Cookies", "Blueberry", "Mandarin Sunset",
)
EXTRACTS = (
    "Vollspektrumextrakt THC 25", "Extrakt THC 10 CBD 10", "Extrakt CBD 50", "Dronabinol-Tropfen 2,5%",
)

FIRST_NAMES = (
    "Max", "Anna", "Lukas", "Lea", "Felix", "Marie", "Jonas", "Sophie", "Paul", "Laura", "Leon", "Hannah",
    "Tim", "Julia", "Jan", "Katharina", "Niklas", "Sarah", "Moritz", "Lena", "Tobias", "Johanna", "Florian",
    "Clara", "Sebastian", "Emilia", "David", "Mia", "Simon", "Nina", "Alexander", "Sabine", "Thomas", "Petra",
    "Michael", "Andrea", "Stefan", "Claudia", "Markus", "Ayşe", "Mehmet", "Olga", "Dmitri", "Fatima", "Luca",
)
LAST_NAMES = (
    "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann",
    "Schäfer", "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann",
    "Braun", "Krüger", "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Krause", "Meier", "Lehmann",
    "Yılmaz", "Kaya", "Nowak", "Kowalski", "Popescu", "Rossi", "Mustermann",
)
MAIL_DOMAINS = ("example.com", "beispiel.example", "example.org", "example.net")  # reserved names (RFC 2606)
STREETS = (
    "Musterstr.", "Hauptstr.", "Bahnhofstr.", "Schillerstr.", "Goethestr.", "Lindenallee", "Gartenweg",
    "Kastanienallee", "Friedrichstr.", "Bergstr.", "Am Markt", "Rosenweg", "Kirchplatz", "Torstr.",
)
CITIES = (
    ("Berlin", "10115"), ("Berlin", "10437"), ("Hamburg", "20095"), ("München", "80331"), ("Köln", "50667"),
    ("Leipzig", "04109"), ("Frankfurt am Main", "60311"), ("Stuttgart", "70173"), ("Dresden", "01067"),
    ("Düsseldorf", "40213"), ("Bremen", "28195"), ("Hannover", "30159"), ("Nürnberg", "90402"),
)
ORDER_SOURCES = ("woocommerce", "jtl", "n8n", "pos-system", "external-telemedicine")
INVENTORY_REASONS = (
    ("Wareneingang", 1), ("POS sale", -1), ("Inventur", 0), ("Bruch", -1), ("Retoure", 1),
    ("Probenentnahme", -1),
)
# fmt: on
