-- crmlab CRM database, schema version 1 (FROZEN: never edit a released migration;
-- change the schema with a new numbered file). Generated once from crmlab 0.x's
-- crmdb._schema_v1() and complaints.TRANSITIONS, then frozen as text.
CREATE TABLE workflow_steps (
    step TEXT PRIMARY KEY, label_zh TEXT NOT NULL, position INTEGER NOT NULL UNIQUE
) STRICT;
CREATE TABLE workflow_moves (
    from_step TEXT NOT NULL REFERENCES workflow_steps (step),
    to_step TEXT NOT NULL REFERENCES workflow_steps (step),
    PRIMARY KEY (from_step, to_step)
) STRICT;
CREATE TABLE complaint_types (complaint_type TEXT PRIMARY KEY, label_zh TEXT NOT NULL) STRICT;
CREATE TABLE report_settings (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    as_of TEXT CONSTRAINT date_iso CHECK (as_of IS NULL OR date(julianday(as_of)) IS as_of)
) STRICT;
INSERT INTO report_settings (id, as_of) VALUES (1, NULL);

CREATE TABLE customers (
    customer_id INTEGER PRIMARY KEY,
    name TEXT NOT NULL CONSTRAINT name_not_empty CHECK (length(trim(name)) > 0),
    phone TEXT UNIQUE CONSTRAINT phone_mobile CHECK (phone IS NULL OR (
        length(phone) = 11 AND phone GLOB '1*' AND phone NOT GLOB '*[^0-9]*')),
    email TEXT UNIQUE CONSTRAINT email_has_at CHECK (email IS NULL OR email LIKE '_%@_%._%'),
    city TEXT,
    gender TEXT CONSTRAINT gender_known CHECK (gender IS NULL OR gender IN ('男', '女')),
    birth_date TEXT CONSTRAINT date_iso CHECK (birth_date IS NULL OR date(julianday(birth_date)) IS birth_date),
    registered TEXT NOT NULL CONSTRAINT date_iso CHECK (date(julianday(registered)) IS registered)
) STRICT;
CREATE TABLE source_records (
    record_id TEXT PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (customer_id),
    source TEXT NOT NULL CONSTRAINT text_not_empty CHECK (length(trim(source)) > 0),
    registered TEXT CONSTRAINT date_iso CHECK (registered IS NULL OR date(julianday(registered)) IS registered),
    UNIQUE (record_id, customer_id)
) STRICT;
CREATE INDEX source_records_by_customer ON source_records (customer_id);
CREATE TABLE orders (
    order_id TEXT PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (customer_id),
    record_id TEXT,
    order_date TEXT NOT NULL CONSTRAINT date_iso CHECK (date(julianday(order_date)) IS order_date),
    amount REAL NOT NULL CONSTRAINT money_nonnegative CHECK (amount >= 0 AND amount < 1e12),
    cost REAL CONSTRAINT money_nonnegative CHECK (cost IS NULL OR (cost >= 0 AND cost < 1e12)),
    category TEXT,
    -- the channel record, if named, must be one of this customer's records
    FOREIGN KEY (record_id, customer_id) REFERENCES source_records (record_id, customer_id)
) STRICT;
-- covers the RFM view: one ordered pass per customer, no table lookups
CREATE INDEX orders_by_customer ON orders (customer_id, order_date, amount);
CREATE TABLE contacts (
    contact_id TEXT PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (customer_id),
    record_id TEXT,
    contact_date TEXT NOT NULL CONSTRAINT date_iso CHECK (date(julianday(contact_date)) IS contact_date),
    kind TEXT NOT NULL CONSTRAINT text_not_empty CHECK (length(trim(kind)) > 0),
    cost REAL NOT NULL CONSTRAINT money_nonnegative CHECK (cost >= 0 AND cost < 1e12),
    FOREIGN KEY (record_id, customer_id) REFERENCES source_records (record_id, customer_id)
) STRICT;
CREATE INDEX contacts_by_customer ON contacts (customer_id);
CREATE TABLE complaints (
    complaint_id INTEGER PRIMARY KEY,
    ticket TEXT UNIQUE,  -- the complaint's number in another system (e.g. chapter 5's log)
    customer_id INTEGER NOT NULL REFERENCES customers (customer_id),
    order_id TEXT REFERENCES orders (order_id),
    complaint_type TEXT NOT NULL CONSTRAINT complaint_type_known CHECK (
        complaint_type IN ('quality', 'contract', 'transport', 'service')),
    sub_item TEXT,
    opened_at TEXT NOT NULL CONSTRAINT datetime_iso CHECK (
        datetime(julianday(opened_at)) IS opened_at),
    department TEXT,
    description TEXT NOT NULL CONSTRAINT text_not_empty CHECK (length(trim(description)) > 0),
    sla_days INTEGER NOT NULL DEFAULT 7 CONSTRAINT sla_positive CHECK (sla_days > 0),
    step TEXT NOT NULL DEFAULT 'record' CONSTRAINT step_known CHECK (step IN ('record', 'judge', 'rejected', 'assign', 'analyse', 'propose', 'approve', 'implement', 'review', 'closed')),
    satisfaction REAL CONSTRAINT satisfaction_1_to_5 CHECK (
        satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5)
) STRICT;
CREATE INDEX complaints_by_customer ON complaints (customer_id);
CREATE TABLE complaint_events (
    event_id INTEGER PRIMARY KEY,
    complaint_id INTEGER NOT NULL REFERENCES complaints (complaint_id),
    from_step TEXT CONSTRAINT step_known CHECK (from_step IS NULL OR from_step IN ('record', 'judge', 'rejected', 'assign', 'analyse', 'propose', 'approve', 'implement', 'review', 'closed')),
    to_step TEXT NOT NULL CONSTRAINT step_known CHECK (to_step IN ('record', 'judge', 'rejected', 'assign', 'analyse', 'propose', 'approve', 'implement', 'review', 'closed')),
    at TEXT NOT NULL CONSTRAINT datetime_iso CHECK (datetime(julianday(at)) IS at),
    actor TEXT,
    note TEXT
) STRICT;
CREATE INDEX complaint_events_by_complaint ON complaint_events (complaint_id, event_id);

-- the workflow definition is part of the schema: no client may change it
CREATE TRIGGER workflow_steps_frozen_insert BEFORE INSERT ON workflow_steps
WHEN (SELECT count(*) FROM workflow_steps) >= 10 BEGIN SELECT RAISE(ABORT, '流程定义表只读：投诉步骤与合法流转由数据库模式规定。 The workflow tables are read-only: they are part of the schema.'); END;
CREATE TRIGGER workflow_steps_frozen_update BEFORE UPDATE ON workflow_steps
BEGIN SELECT RAISE(ABORT, '流程定义表只读：投诉步骤与合法流转由数据库模式规定。 The workflow tables are read-only: they are part of the schema.'); END;
CREATE TRIGGER workflow_steps_frozen_delete BEFORE DELETE ON workflow_steps
BEGIN SELECT RAISE(ABORT, '流程定义表只读：投诉步骤与合法流转由数据库模式规定。 The workflow tables are read-only: they are part of the schema.'); END;
CREATE TRIGGER workflow_moves_frozen_insert BEFORE INSERT ON workflow_moves
WHEN (SELECT count(*) FROM workflow_moves) >= 12
BEGIN SELECT RAISE(ABORT, '流程定义表只读：投诉步骤与合法流转由数据库模式规定。 The workflow tables are read-only: they are part of the schema.'); END;
CREATE TRIGGER workflow_moves_frozen_update BEFORE UPDATE ON workflow_moves
BEGIN SELECT RAISE(ABORT, '流程定义表只读：投诉步骤与合法流转由数据库模式规定。 The workflow tables are read-only: they are part of the schema.'); END;
CREATE TRIGGER workflow_moves_frozen_delete BEFORE DELETE ON workflow_moves
BEGIN SELECT RAISE(ABORT, '流程定义表只读：投诉步骤与合法流转由数据库模式规定。 The workflow tables are read-only: they are part of the schema.'); END;

-- the complaint workflow (记录 -> 判定 -> ... -> 总结评价), enforced for every client
CREATE TRIGGER complaints_start_at_record BEFORE INSERT ON complaints
WHEN NEW.step IS NOT 'record' OR NEW.satisfaction IS NOT NULL
BEGIN SELECT RAISE(ABORT, '新投诉必须从“记录投诉内容”开始（step = ''record''，尚无满意度）。 A new complaint must start at step ''record'' with no satisfaction yet.'); END;
CREATE TRIGGER complaints_first_event AFTER INSERT ON complaints
BEGIN
    INSERT INTO complaint_events (complaint_id, from_step, to_step, at, note)
    VALUES (NEW.complaint_id, NULL, 'record', NEW.opened_at, NEW.description);
END;
CREATE TRIGGER complaint_events_first BEFORE INSERT ON complaint_events
WHEN NEW.from_step IS NULL AND (NEW.to_step IS NOT 'record' OR EXISTS (
    SELECT 1 FROM complaint_events WHERE complaint_id = NEW.complaint_id))
BEGIN SELECT RAISE(ABORT, '投诉流程的第一步只能是“记录投诉内容”，且只记录一次；之后每一步都要写明 from_step。 A complaint''s history starts once with ''record''; later events name from_step.');
END;
CREATE TRIGGER complaint_events_from_current BEFORE INSERT ON complaint_events
WHEN NEW.from_step IS NOT NULL AND NEW.from_step IS NOT
    (SELECT step FROM complaints WHERE complaint_id = NEW.complaint_id)
BEGIN SELECT RAISE(ABORT, '投诉的当前步骤已经不是 from_step（可能刚被同事处理过）：请重新读取当前步骤后再操作。 from_step is not the complaint''s current step (someone may have just moved it): read the current step again.'); END;
CREATE TRIGGER complaint_events_in_time BEFORE INSERT ON complaint_events
WHEN NEW.at < (SELECT max(at) FROM complaint_events WHERE complaint_id = NEW.complaint_id)
BEGIN SELECT RAISE(ABORT, '投诉处理记录的时间不能早于上一步的时间。 A complaint event cannot be dated before the previous step.'); END;

CREATE TRIGGER workflow_after_record BEFORE INSERT ON complaint_events
WHEN NEW.from_step = 'record' AND NOT EXISTS (
    SELECT 1 FROM workflow_moves WHERE from_step = NEW.from_step AND to_step = NEW.to_step)
BEGIN SELECT RAISE(ABORT, '投诉流程不允许这一步：“记录投诉内容”之后只能是“判定是否成立”。 Illegal complaint step: after ''record'' the next step must be ''judge''.'); END;

CREATE TRIGGER workflow_after_judge BEFORE INSERT ON complaint_events
WHEN NEW.from_step = 'judge' AND NOT EXISTS (
    SELECT 1 FROM workflow_moves WHERE from_step = NEW.from_step AND to_step = NEW.to_step)
BEGIN SELECT RAISE(ABORT, '投诉流程不允许这一步：“判定是否成立”之后只能是“确定责任部门”或“判定不成立（结案）”。 Illegal complaint step: after ''judge'' the next step must be ''assign'' or ''rejected''.'); END;

CREATE TRIGGER workflow_after_rejected BEFORE INSERT ON complaint_events
WHEN NEW.from_step = 'rejected' AND NOT EXISTS (
    SELECT 1 FROM workflow_moves WHERE from_step = NEW.from_step AND to_step = NEW.to_step)
BEGIN SELECT RAISE(ABORT, '投诉流程不允许这一步：“判定不成立（结案）”是终点，不能再变更。 Illegal complaint step: ''rejected'' is final; no step may follow it.'); END;

CREATE TRIGGER workflow_after_assign BEFORE INSERT ON complaint_events
WHEN NEW.from_step = 'assign' AND NOT EXISTS (
    SELECT 1 FROM workflow_moves WHERE from_step = NEW.from_step AND to_step = NEW.to_step)
BEGIN SELECT RAISE(ABORT, '投诉流程不允许这一步：“确定责任部门”之后只能是“分析原因”。 Illegal complaint step: after ''assign'' the next step must be ''analyse''.'); END;

CREATE TRIGGER workflow_after_analyse BEFORE INSERT ON complaint_events
WHEN NEW.from_step = 'analyse' AND NOT EXISTS (
    SELECT 1 FROM workflow_moves WHERE from_step = NEW.from_step AND to_step = NEW.to_step)
BEGIN SELECT RAISE(ABORT, '投诉流程不允许这一步：“分析原因”之后只能是“提出处理方案”。 Illegal complaint step: after ''analyse'' the next step must be ''propose''.'); END;

CREATE TRIGGER workflow_after_propose BEFORE INSERT ON complaint_events
WHEN NEW.from_step = 'propose' AND NOT EXISTS (
    SELECT 1 FROM workflow_moves WHERE from_step = NEW.from_step AND to_step = NEW.to_step)
BEGIN SELECT RAISE(ABORT, '投诉流程不允许这一步：“提出处理方案”之后只能是“提交主管领导指示”。 Illegal complaint step: after ''propose'' the next step must be ''approve''.'); END;

CREATE TRIGGER workflow_after_approve BEFORE INSERT ON complaint_events
WHEN NEW.from_step = 'approve' AND NOT EXISTS (
    SELECT 1 FROM workflow_moves WHERE from_step = NEW.from_step AND to_step = NEW.to_step)
BEGIN SELECT RAISE(ABORT, '投诉流程不允许这一步：“提交主管领导指示”之后只能是“实施方案并处罚直接责任者”或“提出处理方案”。 Illegal complaint step: after ''approve'' the next step must be ''implement'' or ''propose''.'); END;

CREATE TRIGGER workflow_after_implement BEFORE INSERT ON complaint_events
WHEN NEW.from_step = 'implement' AND NOT EXISTS (
    SELECT 1 FROM workflow_moves WHERE from_step = NEW.from_step AND to_step = NEW.to_step)
BEGIN SELECT RAISE(ABORT, '投诉流程不允许这一步：“实施方案并处罚直接责任者”之后只能是“总结评价”。 Illegal complaint step: after ''implement'' the next step must be ''review''.'); END;

CREATE TRIGGER workflow_after_review BEFORE INSERT ON complaint_events
WHEN NEW.from_step = 'review' AND NOT EXISTS (
    SELECT 1 FROM workflow_moves WHERE from_step = NEW.from_step AND to_step = NEW.to_step)
BEGIN SELECT RAISE(ABORT, '投诉流程不允许这一步：“总结评价”之后只能是“结案”或“分析原因”。 Illegal complaint step: after ''review'' the next step must be ''closed'' or ''analyse''.'); END;

CREATE TRIGGER workflow_after_closed BEFORE INSERT ON complaint_events
WHEN NEW.from_step = 'closed' AND NOT EXISTS (
    SELECT 1 FROM workflow_moves WHERE from_step = NEW.from_step AND to_step = NEW.to_step)
BEGIN SELECT RAISE(ABORT, '投诉流程不允许这一步：“结案”之后只能是“分析原因”。 Illegal complaint step: after ''closed'' the next step must be ''analyse''.'); END;
CREATE TRIGGER complaint_events_move AFTER INSERT ON complaint_events
WHEN NEW.from_step IS NOT NULL
BEGIN
    UPDATE complaints SET step = NEW.to_step WHERE complaint_id = NEW.complaint_id;
END;
CREATE TRIGGER complaints_step_by_event BEFORE UPDATE OF step ON complaints
WHEN NEW.step IS NOT OLD.step AND NEW.step IS NOT (
    SELECT to_step FROM complaint_events WHERE complaint_id = NEW.complaint_id
    ORDER BY event_id DESC LIMIT 1)
BEGIN SELECT RAISE(ABORT, '不能直接修改投诉步骤：请向 complaint_events 追加一条处理记录（from_step, to_step），数据库会检查这一步是否合法。 Do not update complaints.step directly: append a complaint_events row (from_step, to_step); the database checks the move.'); END;
CREATE TRIGGER complaints_satisfaction_when_closed BEFORE UPDATE OF satisfaction ON complaints
WHEN NEW.satisfaction IS NOT NULL AND NEW.step NOT IN ('review', 'closed', 'rejected')
BEGIN SELECT RAISE(ABORT, '满意度只能在总结评价（review）或结案（closed、rejected）时登记。 Satisfaction is recorded only at ''review'', ''closed'' or ''rejected''.');
END;
CREATE TRIGGER complaint_events_no_update BEFORE UPDATE ON complaint_events
BEGIN SELECT RAISE(ABORT, '投诉处理记录只能追加，不能修改（留档分析）。 Complaint events are append-only: they cannot be changed.'); END;
CREATE TRIGGER complaint_events_no_delete BEFORE DELETE ON complaint_events
BEGIN SELECT RAISE(ABORT, '投诉处理记录只能追加，不能删除（留档分析）。 Complaint events are append-only: they cannot be deleted.'); END;


CREATE VIEW customers_masked AS
SELECT customer_id, name,
       CASE WHEN phone IS NULL THEN NULL
            ELSE substr(phone, 1, 3) || '****' || substr(phone, 8, 4) END AS phone_masked,
       CASE WHEN email IS NULL THEN NULL
            ELSE substr(email, 1, 1) || '***' || substr(email, instr(email, '@')) END
            AS email_masked,
       city, gender, birth_date, registered
FROM customers;

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

CREATE VIEW rfm AS 
SELECT customer_id,
       min(order_date) AS first_purchase,
       max(order_date) AS last_purchase,
       CAST(julianday(COALESCE((SELECT as_of FROM report_settings WHERE id = 1), (SELECT max(order_date) FROM orders))) - julianday(max(order_date)) AS INTEGER) AS recency_days,
       (julianday(COALESCE((SELECT as_of FROM report_settings WHERE id = 1), (SELECT max(order_date) FROM orders))) - julianday(max(order_date))) / 30.4375 AS recency_months,
       count(DISTINCT order_date) AS frequency,
       sum(amount) AS monetary_total,
       sum(amount) / count(DISTINCT order_date) AS monetary_mean
FROM orders
WHERE order_date <= COALESCE((SELECT as_of FROM report_settings WHERE id = 1), (SELECT max(order_date) FROM orders))
GROUP BY customer_id
ORDER BY customer_id;

CREATE VIEW complaint_status AS
SELECT q.complaint_id, q.customer_id, q.complaint_type, t.label_zh AS type_zh,
       q.department, q.step, s.label_zh AS step_zh, q.opened_at, q.sla_days,
       datetime(q.opened_at, '+' || q.sla_days || ' days') AS due_at,
       e.last_event_at,
       CASE WHEN q.step IN ('closed', 'rejected') THEN e.last_event_at END AS closed_at,
       e.n_events, e.n_reopened, q.satisfaction,
       CASE WHEN q.step IN ('closed', 'rejected')
            THEN e.last_event_at <= datetime(q.opened_at, '+' || q.sla_days || ' days')
       END AS within_sla
FROM complaints AS q
JOIN complaint_types AS t USING (complaint_type)
JOIN workflow_steps AS s ON s.step = q.step
JOIN (SELECT complaint_id, max(at) AS last_event_at, count(*) AS n_events,
             sum(to_step = 'analyse' AND from_step IN ('review', 'closed')) AS n_reopened
      FROM complaint_events GROUP BY complaint_id) AS e USING (complaint_id);

CREATE VIEW kpi_monthly AS
WITH months AS (
    SELECT substr(order_date, 1, 7) AS month FROM orders
    UNION SELECT substr(contact_date, 1, 7) FROM contacts
    UNION SELECT substr(opened_at, 1, 7) FROM complaints
),
sales AS (
    SELECT substr(order_date, 1, 7) AS month, count(*) AS n_orders,
           count(DISTINCT customer_id) AS buyers, sum(amount) AS sales,
           sum(amount - cost) AS gross_margin, sum(CASE WHEN cost IS NOT NULL
                                                   THEN amount END) AS costed_sales
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
           avg(satisfaction) AS mean_satisfaction, avg(within_sla) AS sla_met_share
    FROM complaint_status WHERE closed_at IS NOT NULL GROUP BY month
)
SELECT m.month,
       COALESCE(s.n_orders, 0) AS n_orders, COALESCE(s.buyers, 0) AS buyers,
       COALESCE(s.sales, 0.0) AS sales,
       s.gross_margin, s.gross_margin / s.costed_sales AS gross_margin_rate,
       COALESCE(p.contact_cost, 0.0) AS contact_cost,
       COALESCE(p.contact_cost, 0.0) / s.sales AS cost_of_sales_ratio,
       COALESCE(o.complaints_opened, 0) AS complaints_opened,
       COALESCE(c.complaints_closed, 0) AS complaints_closed,
       c.mean_satisfaction, c.sla_met_share
FROM months AS m
LEFT JOIN sales AS s USING (month)
LEFT JOIN spend AS p USING (month)
LEFT JOIN opened AS o USING (month)
LEFT JOIN closed AS c USING (month)
ORDER BY m.month;

-- the lookup tables, as they stood when version 1 was released (frozen)
INSERT INTO workflow_steps (step, label_zh, position) VALUES ('record', '记录投诉内容', 1);
INSERT INTO workflow_steps (step, label_zh, position) VALUES ('judge', '判定是否成立', 2);
INSERT INTO workflow_steps (step, label_zh, position) VALUES ('rejected', '判定不成立（结案）', 3);
INSERT INTO workflow_steps (step, label_zh, position) VALUES ('assign', '确定责任部门', 4);
INSERT INTO workflow_steps (step, label_zh, position) VALUES ('analyse', '分析原因', 5);
INSERT INTO workflow_steps (step, label_zh, position) VALUES ('propose', '提出处理方案', 6);
INSERT INTO workflow_steps (step, label_zh, position) VALUES ('approve', '提交主管领导指示', 7);
INSERT INTO workflow_steps (step, label_zh, position) VALUES ('implement', '实施方案并处罚直接责任者', 8);
INSERT INTO workflow_steps (step, label_zh, position) VALUES ('review', '总结评价', 9);
INSERT INTO workflow_steps (step, label_zh, position) VALUES ('closed', '结案', 10);
INSERT INTO workflow_moves (from_step, to_step) VALUES ('record', 'judge');
INSERT INTO workflow_moves (from_step, to_step) VALUES ('judge', 'assign');
INSERT INTO workflow_moves (from_step, to_step) VALUES ('judge', 'rejected');
INSERT INTO workflow_moves (from_step, to_step) VALUES ('assign', 'analyse');
INSERT INTO workflow_moves (from_step, to_step) VALUES ('analyse', 'propose');
INSERT INTO workflow_moves (from_step, to_step) VALUES ('propose', 'approve');
INSERT INTO workflow_moves (from_step, to_step) VALUES ('approve', 'implement');
INSERT INTO workflow_moves (from_step, to_step) VALUES ('approve', 'propose');
INSERT INTO workflow_moves (from_step, to_step) VALUES ('implement', 'review');
INSERT INTO workflow_moves (from_step, to_step) VALUES ('review', 'closed');
INSERT INTO workflow_moves (from_step, to_step) VALUES ('review', 'analyse');
INSERT INTO workflow_moves (from_step, to_step) VALUES ('closed', 'analyse');
INSERT INTO complaint_types (complaint_type, label_zh) VALUES ('quality', '产品质量');
INSERT INTO complaint_types (complaint_type, label_zh) VALUES ('contract', '购销合同');
INSERT INTO complaint_types (complaint_type, label_zh) VALUES ('transport', '货物运输');
INSERT INTO complaint_types (complaint_type, label_zh) VALUES ('service', '服务');
