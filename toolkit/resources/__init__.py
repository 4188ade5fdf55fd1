"""One namespace per route group of the PharmaOne API, shared by Client and AsyncClient."""

from toolkit.resources.auth import Auth
from toolkit.resources.inventory import Inventory
from toolkit.resources.order_requests import OrderRequests
from toolkit.resources.orders import Orders
from toolkit.resources.prescriptions import Prescriptions
from toolkit.resources.products import Products
from toolkit.resources.reports import Reports
from toolkit.resources.shops import Shops

__all__ = ["Auth", "Inventory", "OrderRequests", "Orders", "Prescriptions", "Products", "Reports", "Shops"]
