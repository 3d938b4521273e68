-- The analyst's copy (分析型 CRM): built in a NEW file from the operational database,
-- attached read-only as "src". It holds no raw phone number or e-mail at all, so no
-- query text can reach them; free text is passed through mask_text (mobile numbers
-- and e-mail addresses written in a note are masked too). Then views.sql runs on it.

CREATE TABLE customers AS
SELECT c.customer_id, m.name, m.phone_masked, m.email_masked, m.city, m.gender,
       m.birth_date, m.registered, c.marketing_consent
FROM src.customers AS c JOIN src.customers_masked AS m USING (customer_id)
ORDER BY c.customer_id;
CREATE UNIQUE INDEX customers_key ON customers (customer_id);
CREATE VIEW customers_masked AS
SELECT customer_id, name, phone_masked, email_masked, city, gender, birth_date, registered
FROM customers;

CREATE TABLE source_records AS SELECT * FROM src.source_records ORDER BY record_id;
CREATE INDEX source_records_by_customer ON source_records (customer_id);
CREATE TABLE orders AS SELECT * FROM src.orders ORDER BY order_id;
CREATE UNIQUE INDEX orders_key ON orders (order_id);
CREATE INDEX orders_by_customer ON orders (customer_id, order_date, amount);
CREATE TABLE contacts AS SELECT * FROM src.contacts ORDER BY contact_id;
CREATE INDEX contacts_by_customer ON contacts (customer_id);

CREATE TABLE complaints AS
SELECT complaint_id, ticket, customer_id, order_id, complaint_type, sub_item, opened_at,
       department, mask_text(description) AS description, sla_days, step, satisfaction,
       opened_by
FROM src.complaints ORDER BY complaint_id;
CREATE UNIQUE INDEX complaints_key ON complaints (complaint_id);
CREATE INDEX complaints_by_customer ON complaints (customer_id);
CREATE TABLE complaint_events AS
SELECT event_id, complaint_id, from_step, to_step, at, actor, mask_text(note) AS note,
       department, satisfaction
FROM src.complaint_events ORDER BY event_id;
CREATE INDEX complaint_events_by_complaint ON complaint_events (complaint_id, event_id);
CREATE TABLE complaint_corrections AS
SELECT correction_id, complaint_id, field, old_value, new_value, corrected_by, corrected_at,
       mask_text(reason) AS reason
FROM src.complaint_corrections ORDER BY correction_id;

CREATE TABLE workflow_steps AS SELECT * FROM src.workflow_steps ORDER BY position;
CREATE TABLE workflow_moves AS SELECT * FROM src.workflow_moves ORDER BY from_step, to_step;
CREATE TABLE complaint_types AS SELECT * FROM src.complaint_types ORDER BY complaint_type;
CREATE TABLE report_settings AS SELECT * FROM src.report_settings;
