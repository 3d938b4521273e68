-- The analytical views (分析型 CRM). A REPEATABLE script, not a numbered migration:
-- every migration and every analytical copy drops the views and runs this file again
-- (a view holds no data). Phones and e-mails appear only through customers_masked.
-- Report date: report_settings.as_of (else the last order date); the report moment
-- for complaints is the end of that day (else the computer's local time).

DROP VIEW IF EXISTS marketing_list;
DROP VIEW IF EXISTS clv_inputs;
DROP VIEW IF EXISTS kpi_yearly;
DROP VIEW IF EXISTS kpi_monthly;
DROP VIEW IF EXISTS complaint_status;
DROP VIEW IF EXISTS rfm;
DROP VIEW IF EXISTS customer_360;
DROP VIEW IF EXISTS report_date;

CREATE VIEW report_date AS
SELECT COALESCE((SELECT as_of FROM report_settings WHERE id = 1),
                (SELECT max(order_date) FROM orders)) AS as_of,
       COALESCE(datetime((SELECT as_of FROM report_settings WHERE id = 1), '+1 day'),
                datetime('now', 'localtime')) AS report_end;

CREATE VIEW customer_360 AS
SELECT c.customer_id, c.name, c.phone_masked, c.email_masked, c.city, c.gender, c.registered,
       COALESCE(r.n_records, 0) AS n_records, r.sources,
       COALESCE(o.n_orders, 0) AS n_orders, o.first_purchase, o.last_purchase,
       COALESCE(o.total_amount, 0.0) AS total_amount,
       COALESCE(o.gross_margin, 0.0) AS gross_margin,
       COALESCE(k.n_contacts, 0) AS n_contacts, COALESCE(k.contact_cost, 0.0) AS contact_cost,
       COALESCE(q.n_complaints, 0) AS n_complaints,
       COALESCE(q.open_complaints, 0) AS open_complaints, q.mean_satisfaction
FROM customers_masked AS c
LEFT JOIN (SELECT customer_id, sum(n) AS n_records, group_concat(source, '、') AS sources
           FROM (SELECT customer_id, source, count(*) AS n FROM source_records
                 GROUP BY customer_id, source ORDER BY customer_id, source)
           GROUP BY customer_id) AS r USING (customer_id)
LEFT JOIN (SELECT customer_id, count(*) AS n_orders, min(order_date) AS first_purchase,
                  max(order_date) AS last_purchase, sum(amount) AS total_amount,
                  sum(amount - cost) AS gross_margin
           FROM orders GROUP BY customer_id) AS o USING (customer_id)
LEFT JOIN (SELECT customer_id, count(*) AS n_contacts, sum(cost) AS contact_cost
           FROM contacts GROUP BY customer_id) AS k USING (customer_id)
LEFT JOIN (SELECT customer_id, count(*) AS n_complaints,
                  sum(step NOT IN ('closed', 'rejected')) AS open_complaints,
                  avg(satisfaction) AS mean_satisfaction
           FROM complaints GROUP BY customer_id) AS q USING (customer_id);

-- one purchase occasion = one customer on one calendar day (as crmlab.rfm.summary);
-- one ordered pass over the covering index orders_by_customer
-- (the report date as a scalar subquery: evaluated once, the scan stays one pass)
CREATE VIEW rfm AS
SELECT customer_id,
       min(order_date) AS first_purchase,
       max(order_date) AS last_purchase,
       CAST(julianday((SELECT as_of FROM report_date)) - julianday(max(order_date)) AS INTEGER)
           AS recency_days,
       (julianday((SELECT as_of FROM report_date)) - julianday(max(order_date))) / 30.4375
           AS recency_months,
       count(DISTINCT order_date) AS frequency,
       sum(amount) AS monetary_total,
       sum(amount) / count(DISTINCT order_date) AS monetary_mean
FROM orders
WHERE order_date <= (SELECT as_of FROM report_date)
GROUP BY customer_id
ORDER BY customer_id;

-- one row per complaint, its current state. Handling time runs to the FINAL closure
-- (the closing event of a complaint that is settled now; a reopened complaint's clock
-- keeps running); the first resolution is a separate measure (as chapter 5).
CREATE VIEW complaint_status AS
SELECT q.complaint_id, q.customer_id, q.complaint_type, t.label_zh AS type_zh,
       q.department, q.step, s.label_zh AS step_zh, q.opened_at, q.opened_by, q.sla_days,
       datetime(q.opened_at, '+' || q.sla_days || ' days') AS due_at,
       e.last_event_at, e.first_settled_at,
       CASE WHEN q.step IN ('closed', 'rejected') THEN e.last_event_at END AS closed_at,
       e.n_events, e.n_reopened, q.satisfaction,
       julianday(e.first_settled_at) - julianday(q.opened_at) AS first_resolution_days,
       CASE WHEN q.step IN ('closed', 'rejected')
            THEN julianday(e.last_event_at) - julianday(q.opened_at) END AS handling_days,
       CASE WHEN q.step IN ('closed', 'rejected')
            THEN e.last_event_at <= datetime(q.opened_at, '+' || q.sla_days || ' days')
       END AS within_sla,
       CASE WHEN q.step NOT IN ('closed', 'rejected')
            THEN datetime(q.opened_at, '+' || q.sla_days || ' days') < d.report_end
       END AS overdue
FROM complaints AS q
CROSS JOIN report_date AS d
LEFT JOIN complaint_types AS t USING (complaint_type)
LEFT JOIN workflow_steps AS s ON s.step = q.step
LEFT JOIN (SELECT complaint_id, max(at) AS last_event_at, count(*) AS n_events,
                  min(CASE WHEN to_step IN ('closed', 'rejected') THEN at END)
                      AS first_settled_at,
                  sum(to_step = 'analyse' AND from_step IN ('review', 'closed')) AS n_reopened
           FROM complaint_events GROUP BY complaint_id) AS e USING (complaint_id);

-- the four implementation goals per month, with the complaint backlog at month end
CREATE VIEW kpi_monthly AS
WITH months AS (
    SELECT substr(order_date, 1, 7) AS month FROM orders
    UNION SELECT substr(contact_date, 1, 7) FROM contacts
    UNION SELECT substr(opened_at, 1, 7) FROM complaints
),
cutoffs AS (  -- the end of each month, or the report moment if that comes first
    SELECT m.month, min(datetime(m.month || '-01', '+1 month'), d.report_end) AS cutoff
    FROM months AS m CROSS JOIN report_date AS d
),
sales AS (
    SELECT substr(order_date, 1, 7) AS month, count(*) AS n_orders,
           count(DISTINCT customer_id) AS buyers, sum(amount) AS sales,
           sum(amount - cost) AS gross_margin,
           sum(CASE WHEN cost IS NOT NULL THEN amount END) AS costed_sales
    FROM orders GROUP BY month
),
spend AS (
    SELECT substr(contact_date, 1, 7) AS month, sum(cost) AS contact_cost
    FROM contacts GROUP BY month
),
opened AS (
    SELECT substr(opened_at, 1, 7) AS month, count(*) AS complaints_opened
    FROM complaints GROUP BY month
),
closed AS (
    SELECT substr(closed_at, 1, 7) AS month, count(*) AS complaints_closed,
           count(satisfaction) AS satisfaction_n, avg(satisfaction) AS mean_satisfaction,
           sum(within_sla) AS closed_within_sla, avg(within_sla) AS sla_met_share,
           avg(handling_days) AS mean_handling_days
    FROM complaint_status WHERE closed_at IS NOT NULL GROUP BY month
),
backlog AS (  -- complaints not settled at the cutoff (their last event before it)
    SELECT c.month, count(*) AS open_at_month_end,
           sum(datetime(q.opened_at, '+' || q.sla_days || ' days') < c.cutoff)
               AS overdue_at_month_end
    FROM cutoffs AS c
    JOIN complaints AS q ON q.opened_at < c.cutoff
    WHERE (SELECT e.to_step FROM complaint_events AS e
           WHERE e.complaint_id = q.complaint_id AND e.at < c.cutoff
           ORDER BY e.at DESC, e.event_id DESC LIMIT 1) NOT IN ('closed', 'rejected')
    GROUP BY c.month
)
SELECT m.month,
       COALESCE(s.n_orders, 0) AS n_orders, COALESCE(s.buyers, 0) AS buyers,
       COALESCE(s.sales, 0.0) AS sales, s.costed_sales,
       s.gross_margin, s.gross_margin / s.costed_sales AS gross_margin_rate,
       COALESCE(p.contact_cost, 0.0) AS contact_cost,
       COALESCE(p.contact_cost, 0.0) / s.sales AS selling_expense_ratio,
       COALESCE(o.complaints_opened, 0) AS complaints_opened,
       COALESCE(c.complaints_closed, 0) AS complaints_closed,
       COALESCE(c.satisfaction_n, 0) AS satisfaction_n, c.mean_satisfaction,
       COALESCE(c.closed_within_sla, 0) AS closed_within_sla, c.sla_met_share,
       c.mean_handling_days,
       COALESCE(b.open_at_month_end, 0) AS open_at_month_end,
       COALESCE(b.overdue_at_month_end, 0) AS overdue_at_month_end
FROM months AS m
LEFT JOIN sales AS s USING (month)
LEFT JOIN spend AS p USING (month)
LEFT JOIN opened AS o USING (month)
LEFT JOIN closed AS c USING (month)
LEFT JOIN backlog AS b USING (month)
ORDER BY m.month;

-- the year: ratios of sums (weighted by sales, by complaints), never means of monthly ratios
CREATE VIEW kpi_yearly AS
SELECT substr(month, 1, 4) AS year,
       sum(n_orders) AS n_orders, sum(sales) AS sales,
       sum(gross_margin) AS gross_margin,
       sum(gross_margin) / sum(costed_sales) AS gross_margin_rate,
       sum(contact_cost) AS contact_cost,
       sum(contact_cost) / sum(sales) AS selling_expense_ratio,
       sum(complaints_opened) AS complaints_opened,
       sum(complaints_closed) AS complaints_closed,
       sum(mean_satisfaction * satisfaction_n) / sum(satisfaction_n) AS mean_satisfaction,
       sum(closed_within_sla) * 1.0 / sum(complaints_closed) AS sla_met_share
FROM kpi_monthly
GROUP BY year
ORDER BY year;

-- inputs of chapter 2's retention CLV, per customer with orders up to the report date:
-- yearly margin of the last 12 months, and whether the customer bought in each of the
-- last two 12-month windows (retention r = bought in both / bought in the earlier one)
CREATE VIEW clv_inputs AS
SELECT o.customer_id,
       min(o.order_date) AS first_purchase, max(o.order_date) AS last_purchase,
       (julianday(d.as_of) - julianday(min(o.order_date))) / 365.25 AS tenure_years,
       count(DISTINCT o.order_date) AS purchases,
       sum(o.amount) AS sales, sum(o.amount - o.cost) AS gross_margin,
       COALESCE(sum(CASE WHEN o.order_date > date(d.as_of, '-1 year')
                         THEN o.amount - o.cost END), 0.0) AS margin_last_year,
       max(o.order_date > date(d.as_of, '-1 year')) AS active_last_year,
       max(o.order_date > date(d.as_of, '-2 years')
           AND o.order_date <= date(d.as_of, '-1 year')) AS active_year_before
FROM orders AS o, report_date AS d
WHERE o.order_date <= d.as_of
GROUP BY o.customer_id
ORDER BY o.customer_id;

CREATE VIEW marketing_list AS
SELECT c.customer_id, m.name, m.phone_masked, m.email_masked, m.city,
       r.recency_days, r.frequency, r.monetary_total
FROM customers AS c
JOIN customers_masked AS m USING (customer_id)
LEFT JOIN rfm AS r USING (customer_id)
WHERE c.marketing_consent = 1 AND NOT EXISTS (
    SELECT 1 FROM complaints AS q
    WHERE q.customer_id = c.customer_id AND q.step NOT IN ('closed', 'rejected'));
