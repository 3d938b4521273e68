-- schema version 2 (FROZEN): marketing consent for database marketing (数据库营销)
-- and its list.
ALTER TABLE customers ADD COLUMN marketing_consent INTEGER NOT NULL DEFAULT 0
    CONSTRAINT consent_0_or_1 CHECK (marketing_consent IN (0, 1));
CREATE INDEX complaints_by_step ON complaints (step);
CREATE VIEW marketing_list AS
SELECT c.customer_id, m.name, m.phone_masked, m.email_masked, m.city,
       r.recency_days, r.frequency, r.monetary_total
FROM customers AS c
JOIN customers_masked AS m USING (customer_id)
LEFT JOIN rfm AS r USING (customer_id)
WHERE c.marketing_consent = 1 AND NOT EXISTS (
    SELECT 1 FROM complaints AS q
    WHERE q.customer_id = c.customer_id AND q.step NOT IN ('closed', 'rejected'));
