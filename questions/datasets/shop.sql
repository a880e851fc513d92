-- shop: a small online store. Used by the sql questions of questions/sql.yaml.
-- customers.city may be NULL; orders.customer_id is NULL for a guest checkout;
-- order_items.unit_price is the price actually paid, which may differ from products.price.
CREATE TABLE customers (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  city TEXT
);

CREATE TABLE products (
  id       INTEGER PRIMARY KEY,
  name     TEXT NOT NULL,
  category TEXT NOT NULL,
  price    INTEGER NOT NULL
);

CREATE TABLE orders (
  id          INTEGER PRIMARY KEY,
  customer_id INTEGER REFERENCES customers (id),
  order_date  DATE NOT NULL,
  status      TEXT NOT NULL CHECK (status IN ('paid', 'cancelled'))
);

CREATE TABLE order_items (
  order_id   INTEGER NOT NULL REFERENCES orders (id),
  product_id INTEGER NOT NULL REFERENCES products (id),
  quantity   INTEGER NOT NULL,
  unit_price INTEGER NOT NULL,
  PRIMARY KEY (order_id, product_id)
);

INSERT INTO customers (id, name, city) VALUES
  (1, 'Ann', 'London'),
  (2, 'Bob', 'Paris'),
  (3, 'Cid', 'London'),
  (4, 'Dan', NULL),
  (5, 'Eve', 'Berlin'),
  (6, 'Fay', 'Paris'),
  (7, 'Gus', NULL),
  (8, 'Hal', 'Berlin');

INSERT INTO products (id, name, category, price) VALUES
  (1, 'Laptop', 'electronics', 1200),
  (2, 'Phone', 'electronics', 800),
  (3, 'Headphones', 'electronics', 150),
  (4, 'Charger', 'electronics', 25),
  (5, 'Desk', 'furniture', 300),
  (6, 'Chair', 'furniture', 150),
  (7, 'Lamp', 'furniture', 40),
  (8, 'Novel', 'books', 15),
  (9, 'Cookbook', 'books', 30),
  (10, 'Atlas', 'books', 60),
  (11, 'Bookshelf', 'furniture', 120);

INSERT INTO orders (id, customer_id, order_date, status) VALUES
  (1, 1, '2024-01-05', 'paid'),
  (2, 2, '2024-01-09', 'paid'),
  (3, 1, '2024-01-20', 'paid'),
  (4, 3, '2024-02-02', 'paid'),
  (5, NULL, '2024-02-10', 'cancelled'),
  (6, 5, '2024-02-14', 'cancelled'),
  (7, 2, '2024-02-25', 'paid'),
  (8, 1, '2024-03-03', 'paid'),
  (9, 6, '2024-03-11', 'paid'),
  (10, 3, '2024-03-15', 'paid'),
  (11, 7, '2024-03-22', 'paid'),
  (12, 5, '2024-04-01', 'paid'),
  (13, 2, '2024-04-08', 'cancelled'),
  (14, 6, '2024-04-19', 'paid'),
  (15, 8, '2024-04-25', 'cancelled');

INSERT INTO order_items (order_id, product_id, quantity, unit_price) VALUES
  (1, 1, 1, 1200),
  (1, 4, 2, 25),
  (2, 2, 1, 800),
  (3, 8, 3, 15),
  (4, 5, 1, 300),
  (4, 6, 2, 150),
  (5, 3, 1, 150),
  (6, 1, 1, 1200),
  (7, 4, 1, 25),
  (7, 3, 1, 150),
  (8, 7, 1, 40),
  (9, 9, 2, 30),
  (9, 8, 1, 15),
  (10, 7, 2, 40),
  (11, 2, 1, 780),
  (12, 3, 2, 150),
  (12, 9, 1, 30),
  (13, 1, 1, 1150),
  (14, 5, 1, 300),
  (15, 7, 1, 40);
