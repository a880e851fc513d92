-- hr: a small company. Used by the sql questions of questions/sql.yaml.
-- employees.manager_id references employees.id (NULL for the CEO);
-- department_id is NULL for staff outside any department; bonus is NULL when none was paid.
-- The Support department has no employees.
CREATE TABLE departments (
  id   INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE
);

CREATE TABLE employees (
  id            INTEGER PRIMARY KEY,
  name          TEXT NOT NULL,
  department_id INTEGER REFERENCES departments (id),
  manager_id    INTEGER REFERENCES employees (id),
  salary        INTEGER NOT NULL,
  bonus         INTEGER,
  hire_date     DATE NOT NULL
);

INSERT INTO departments (id, name) VALUES
  (1, 'Engineering'),
  (2, 'Sales'),
  (3, 'Marketing'),
  (4, 'Support');

INSERT INTO employees (id, name, department_id, manager_id, salary, bonus, hire_date) VALUES
  (1, 'Olivia', NULL, NULL, 15000, 5000, '2015-03-01'),
  (2, 'Liam', 1, 1, 9000, 2000, '2016-06-15'),
  (3, 'Emma', 2, 1, 8000, NULL, '2017-01-10'),
  (4, 'Noah', 1, 2, 9500, 1000, '2018-04-01'),
  (5, 'Ava', 1, 2, 7000, NULL, '2019-09-23'),
  (6, 'Mia', 1, 4, 6000, 500, '2021-02-01'),
  (7, 'Lucas', 1, 4, 6000, NULL, '2022-07-18'),
  (8, 'Sophia', 2, 3, 8000, 1500, '2018-11-05'),
  (9, 'Ethan', 2, 3, 5000, 800, '2020-03-16'),
  (10, 'Isla', 2, 8, 4500, NULL, '2023-01-09'),
  (11, 'James', 3, 1, 7500, 1000, '2017-08-21'),
  (12, 'Grace', 3, 11, 5500, NULL, '2021-10-04'),
  (13, 'Henry', 3, 11, 8200, 700, '2019-05-27'),
  (14, 'Zoe', NULL, 1, 6500, NULL, '2024-02-12'),
  (15, 'Oscar', NULL, 1, 15000, NULL, '2016-01-04'),
  (16, 'Leo', 1, 6, 4000, NULL, '2024-06-03');
