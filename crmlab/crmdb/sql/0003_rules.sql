-- schema version 3 (FROZEN once released): the complaint rules hold for every client.
--   * responsibility: who made every move (actor), the department named at 确定责任部门
--   * satisfaction is recorded on the event that closes (or reviews) the complaint
--   * a complaint's KPI inputs change only through a recorded correction
--   * complaint_events and complaint_corrections are append-only under every statement
--     form (UPDATE, DELETE, INSERT OR REPLACE, UPSERT, with or without recursive_triggers)
--   * no event dated in the future (15 minutes of clock tolerance) or before the last one
--   * the lookup tables are frozen
-- The analytical views are not here: they are the repeatable script views.sql,
-- re-applied by every migration (a view holds no data, so replacing it loses none).

ALTER TABLE complaints ADD COLUMN opened_by TEXT;
ALTER TABLE complaint_events ADD COLUMN department TEXT;
ALTER TABLE complaint_events ADD COLUMN satisfaction REAL
    CONSTRAINT satisfaction_1_to_5 CHECK (satisfaction IS NULL OR satisfaction BETWEEN 1 AND 5);

-- a correction of a KPI input: who, when, why, old -> new (留档分析)
CREATE TABLE complaint_corrections (
    correction_id INTEGER PRIMARY KEY,
    complaint_id INTEGER NOT NULL REFERENCES complaints (complaint_id),
    field TEXT NOT NULL CONSTRAINT field_known CHECK (
        field IN ('sla_days', 'opened_at', 'department', 'complaint_type', 'satisfaction')),
    old_value ANY,
    new_value ANY,
    corrected_by TEXT NOT NULL CONSTRAINT text_not_empty CHECK (length(trim(corrected_by)) > 0),
    corrected_at TEXT NOT NULL CONSTRAINT datetime_iso CHECK (
        datetime(julianday(corrected_at)) IS corrected_at),
    reason TEXT NOT NULL CONSTRAINT text_not_empty CHECK (length(trim(reason)) > 0)
) STRICT;
CREATE INDEX complaint_corrections_by_complaint ON complaint_corrections (complaint_id,
                                                                          correction_id);

-- the lookup tables are part of the schema
CREATE TRIGGER complaint_types_frozen_insert BEFORE INSERT ON complaint_types
BEGIN SELECT RAISE(ABORT, '投诉类型表只读：投诉类型由数据库模式规定。 The complaint types are read-only: they are part of the schema.'); END;
CREATE TRIGGER complaint_types_frozen_update BEFORE UPDATE ON complaint_types
BEGIN SELECT RAISE(ABORT, '投诉类型表只读：投诉类型由数据库模式规定。 The complaint types are read-only: they are part of the schema.'); END;
CREATE TRIGGER complaint_types_frozen_delete BEFORE DELETE ON complaint_types
BEGIN SELECT RAISE(ABORT, '投诉类型表只读：投诉类型由数据库模式规定。 The complaint types are read-only: they are part of the schema.'); END;
CREATE TRIGGER report_settings_no_delete BEFORE DELETE ON report_settings
BEGIN SELECT RAISE(ABORT, '报告设置只能修改，不能删除。 The report settings can be changed, not deleted.'); END;

-- a complaint: recorded by someone, never re-used or deleted
CREATE TRIGGER complaints_opened_by BEFORE INSERT ON complaints
WHEN NEW.opened_by IS NULL OR length(trim(NEW.opened_by)) = 0
BEGIN SELECT RAISE(ABORT, '记录投诉必须写明由谁受理（opened_by，留档分析）。 A complaint must name who recorded it (opened_by).'); END;
CREATE TRIGGER complaints_department_at_assign BEFORE INSERT ON complaints
WHEN NEW.department IS NOT NULL
BEGIN SELECT RAISE(ABORT, '责任部门在“确定责任部门”（assign）这一步登记，受理时还不能定（先判定是否成立）。 The department is named at step ''assign'', not when the complaint is recorded.'); END;
CREATE TRIGGER complaints_no_replace BEFORE INSERT ON complaints
WHEN NEW.complaint_id IS NOT NULL AND EXISTS (
    SELECT 1 FROM complaints WHERE complaint_id = NEW.complaint_id)
BEGIN SELECT RAISE(ABORT, '这个投诉编号已经存在：投诉记录不能被覆盖（INSERT OR REPLACE 也不行）。 This complaint_id exists: a complaint cannot be overwritten.'); END;
CREATE TRIGGER complaints_no_delete BEFORE DELETE ON complaints
BEGIN SELECT RAISE(ABORT, '投诉记录不能删除（留档分析）。 Complaints cannot be deleted.'); END;
CREATE TRIGGER complaints_not_in_future BEFORE INSERT ON complaints
WHEN julianday(NEW.opened_at) > julianday('now', 'localtime', '+15 minutes')
BEGIN SELECT RAISE(ABORT, '受理时间在未来（超过本机时间 15 分钟）：是不是年份写错了？ opened_at lies in the future (more than 15 minutes ahead of this computer''s clock): a typo in the year?'); END;
CREATE TRIGGER complaints_identity_fixed BEFORE UPDATE OF complaint_id, customer_id, opened_by
ON complaints
WHEN NEW.complaint_id IS NOT OLD.complaint_id OR NEW.customer_id IS NOT OLD.customer_id
     OR NEW.opened_by IS NOT OLD.opened_by
BEGIN SELECT RAISE(ABORT, '投诉的编号、客户和受理人不能修改。 A complaint''s id, customer and recorder cannot change.'); END;

-- the first event names the person who recorded the complaint
DROP TRIGGER complaints_first_event;
CREATE TRIGGER complaints_first_event AFTER INSERT ON complaints
BEGIN
    INSERT INTO complaint_events (complaint_id, from_step, to_step, at, actor, note)
    VALUES (NEW.complaint_id, NULL, 'record', NEW.opened_at, NEW.opened_by, NEW.description);
END;

-- every event: append-only, someone made it, dated now or earlier
CREATE TRIGGER complaint_events_no_replace BEFORE INSERT ON complaint_events
WHEN NEW.event_id IS NOT NULL AND EXISTS (
    SELECT 1 FROM complaint_events WHERE event_id = NEW.event_id)
BEGIN SELECT RAISE(ABORT, '投诉处理记录只能追加，不能覆盖（INSERT OR REPLACE、UPSERT 也不行，留档分析）。 Complaint events are append-only: an event cannot be replaced.'); END;
CREATE TRIGGER complaint_events_actor BEFORE INSERT ON complaint_events
WHEN NEW.actor IS NULL OR length(trim(NEW.actor)) = 0
BEGIN SELECT RAISE(ABORT, '每一步都要写明由谁完成（actor，分清责任）。 Every event must name who made the move (actor).'); END;
CREATE TRIGGER complaint_events_not_in_future BEFORE INSERT ON complaint_events
WHEN julianday(NEW.at) > julianday('now', 'localtime', '+15 minutes')
BEGIN SELECT RAISE(ABORT, '处理时间在未来（超过本机时间 15 分钟）：是不是年份写错了？ The event lies in the future (more than 15 minutes ahead of this computer''s clock): a typo in the year?'); END;
CREATE TRIGGER complaint_events_assign_names_department BEFORE INSERT ON complaint_events
WHEN NEW.to_step = 'assign' AND (NEW.department IS NULL OR length(trim(NEW.department)) = 0)
BEGIN SELECT RAISE(ABORT, '“确定责任部门”（assign）必须写明责任部门 department（分清责任）。 Step ''assign'' must name the responsible department.'); END;
CREATE TRIGGER complaint_events_department_only_at_assign BEFORE INSERT ON complaint_events
WHEN NEW.department IS NOT NULL AND NEW.to_step IS NOT 'assign'
BEGIN SELECT RAISE(ABORT, '责任部门只能在“确定责任部门”（assign）这一步登记；以后要改，请登记一条更正（complaint_corrections）。 The department is named only at ''assign''; to change it later, record a correction.'); END;
CREATE TRIGGER complaint_events_satisfaction_at_the_end BEFORE INSERT ON complaint_events
WHEN NEW.satisfaction IS NOT NULL AND NEW.to_step NOT IN ('review', 'closed', 'rejected')
BEGIN SELECT RAISE(ABORT, '满意度只能随“总结评价”（review）或结案（closed、rejected）这一步登记。 Satisfaction is recorded only with ''review'', ''closed'' or ''rejected''.'); END;

-- the complaint row is the current state: moved by its events, changed by corrections
DROP TRIGGER complaints_satisfaction_when_closed;
DROP TRIGGER complaint_events_move;
CREATE TRIGGER complaint_events_move AFTER INSERT ON complaint_events
WHEN NEW.from_step IS NOT NULL
BEGIN
    UPDATE complaints
    SET step = NEW.to_step,
        department = COALESCE(NEW.department, department),
        satisfaction = COALESCE(NEW.satisfaction, satisfaction)
    WHERE complaint_id = NEW.complaint_id;
END;
CREATE TRIGGER complaints_department_by_event BEFORE UPDATE OF department ON complaints
WHEN NEW.department IS NOT OLD.department AND NOT (
    (OLD.department IS NULL AND NEW.step IS NOT OLD.step AND NEW.department IS (
        SELECT department FROM complaint_events WHERE complaint_id = NEW.complaint_id
        ORDER BY event_id DESC LIMIT 1))
    OR EXISTS (SELECT 1 FROM complaint_corrections AS c
               WHERE c.correction_id = (SELECT max(correction_id) FROM complaint_corrections
                                        WHERE complaint_id = NEW.complaint_id)
                 AND c.field = 'department' AND c.old_value IS OLD.department
                 AND c.new_value IS NEW.department))
BEGIN SELECT RAISE(ABORT, '不能直接修改责任部门：它在“确定责任部门”这一步登记，以后只能通过一条更正（complaint_corrections：谁、何时、为何、旧值 → 新值）修改。 Do not update complaints.department: it is named at ''assign''; change it by recording a correction.'); END;
CREATE TRIGGER complaints_satisfaction_by_event BEFORE UPDATE OF satisfaction ON complaints
WHEN NEW.satisfaction IS NOT OLD.satisfaction AND NOT (
    (NEW.step IS NOT OLD.step AND NEW.satisfaction IS (
        SELECT satisfaction FROM complaint_events WHERE complaint_id = NEW.complaint_id
        ORDER BY event_id DESC LIMIT 1))
    OR EXISTS (SELECT 1 FROM complaint_corrections AS c
               WHERE c.correction_id = (SELECT max(correction_id) FROM complaint_corrections
                                        WHERE complaint_id = NEW.complaint_id)
                 AND c.field = 'satisfaction' AND c.old_value IS OLD.satisfaction
                 AND c.new_value IS NEW.satisfaction))
BEGIN SELECT RAISE(ABORT, '不能直接修改满意度：它随结案（或总结评价）那一步登记，以后只能通过一条更正（complaint_corrections）修改。 Do not update complaints.satisfaction: it is recorded with the closing event; change it by recording a correction.'); END;
CREATE TRIGGER complaints_sla_days_by_correction BEFORE UPDATE OF sla_days ON complaints
WHEN NEW.sla_days IS NOT OLD.sla_days AND NOT EXISTS (
    SELECT 1 FROM complaint_corrections AS c
    WHERE c.correction_id = (SELECT max(correction_id) FROM complaint_corrections
                             WHERE complaint_id = NEW.complaint_id)
      AND c.field = 'sla_days' AND c.old_value IS OLD.sla_days AND c.new_value IS NEW.sla_days)
BEGIN SELECT RAISE(ABORT, '不能直接修改处理时限 sla_days：请登记一条更正（complaint_corrections：谁、何时、为何、旧值 → 新值）。 Do not update complaints.sla_days: record a correction.'); END;
CREATE TRIGGER complaints_opened_at_by_correction BEFORE UPDATE OF opened_at ON complaints
WHEN NEW.opened_at IS NOT OLD.opened_at AND NOT EXISTS (
    SELECT 1 FROM complaint_corrections AS c
    WHERE c.correction_id = (SELECT max(correction_id) FROM complaint_corrections
                             WHERE complaint_id = NEW.complaint_id)
      AND c.field = 'opened_at' AND c.old_value IS OLD.opened_at
      AND c.new_value IS NEW.opened_at)
BEGIN SELECT RAISE(ABORT, '不能直接修改受理时间 opened_at：请登记一条更正（complaint_corrections）。 Do not update complaints.opened_at: record a correction.'); END;
CREATE TRIGGER complaints_type_by_correction BEFORE UPDATE OF complaint_type ON complaints
WHEN NEW.complaint_type IS NOT OLD.complaint_type AND NOT EXISTS (
    SELECT 1 FROM complaint_corrections AS c
    WHERE c.correction_id = (SELECT max(correction_id) FROM complaint_corrections
                             WHERE complaint_id = NEW.complaint_id)
      AND c.field = 'complaint_type' AND c.old_value IS OLD.complaint_type
      AND c.new_value IS NEW.complaint_type)
BEGIN SELECT RAISE(ABORT, '不能直接修改投诉类型：请登记一条更正（complaint_corrections）。 Do not update complaints.complaint_type: record a correction.'); END;

-- corrections: checked, applied, and kept for ever
CREATE TRIGGER complaint_corrections_no_replace BEFORE INSERT ON complaint_corrections
WHEN NEW.correction_id IS NOT NULL AND EXISTS (
    SELECT 1 FROM complaint_corrections WHERE correction_id = NEW.correction_id)
BEGIN SELECT RAISE(ABORT, '更正记录只能追加，不能覆盖。 Corrections are append-only: one cannot be replaced.'); END;
CREATE TRIGGER complaint_corrections_no_update BEFORE UPDATE ON complaint_corrections
BEGIN SELECT RAISE(ABORT, '更正记录只能追加，不能修改。 Corrections are append-only: they cannot be changed.'); END;
CREATE TRIGGER complaint_corrections_no_delete BEFORE DELETE ON complaint_corrections
BEGIN SELECT RAISE(ABORT, '更正记录只能追加，不能删除。 Corrections are append-only: they cannot be deleted.'); END;
CREATE TRIGGER complaint_corrections_not_in_future BEFORE INSERT ON complaint_corrections
WHEN julianday(NEW.corrected_at) > julianday('now', 'localtime', '+15 minutes')
BEGIN SELECT RAISE(ABORT, '更正时间在未来（超过本机时间 15 分钟）。 The correction lies in the future.'); END;
CREATE TRIGGER complaint_corrections_old_value BEFORE INSERT ON complaint_corrections
WHEN NEW.old_value IS NOT (
    SELECT CASE NEW.field WHEN 'sla_days' THEN sla_days WHEN 'opened_at' THEN opened_at
                          WHEN 'department' THEN department
                          WHEN 'complaint_type' THEN complaint_type
                          WHEN 'satisfaction' THEN satisfaction END
    FROM complaints WHERE complaint_id = NEW.complaint_id)
BEGIN SELECT RAISE(ABORT, '更正的旧值 old_value 不是这条投诉现在的值（可能刚被同事更正过）：请重新读取后再更正。 old_value is not the complaint''s current value: read it again.'); END;
CREATE TRIGGER complaint_corrections_change_something BEFORE INSERT ON complaint_corrections
WHEN NEW.new_value IS NEW.old_value
BEGIN SELECT RAISE(ABORT, '更正的新值与旧值相同：没有要更正的内容。 new_value equals old_value: nothing to correct.'); END;
CREATE TRIGGER complaint_corrections_department_named BEFORE INSERT ON complaint_corrections
WHEN NEW.field = 'department' AND (NEW.new_value IS NULL OR length(trim(NEW.new_value)) = 0)
BEGIN SELECT RAISE(ABORT, '责任部门不能更正为空。 The department cannot be corrected to empty.'); END;
CREATE TRIGGER complaint_corrections_opened_before_events BEFORE INSERT ON complaint_corrections
WHEN NEW.field = 'opened_at' AND (julianday(NEW.new_value) IS NULL OR
    julianday(NEW.new_value) > julianday('now', 'localtime', '+15 minutes') OR
    NEW.new_value > (SELECT min(at) FROM complaint_events
                     WHERE complaint_id = NEW.complaint_id AND from_step IS NOT NULL))
BEGIN SELECT RAISE(ABORT, '更正后的受理时间不能晚于这条投诉的第一步处理，也不能在未来。 The corrected opened_at cannot be later than the first move, nor in the future.'); END;
CREATE TRIGGER complaint_corrections_apply AFTER INSERT ON complaint_corrections
BEGIN
    UPDATE complaints
    SET sla_days = CASE WHEN NEW.field = 'sla_days' THEN NEW.new_value ELSE sla_days END,
        opened_at = CASE WHEN NEW.field = 'opened_at' THEN NEW.new_value ELSE opened_at END,
        department = CASE WHEN NEW.field = 'department' THEN NEW.new_value ELSE department END,
        complaint_type = CASE WHEN NEW.field = 'complaint_type' THEN NEW.new_value
                              ELSE complaint_type END,
        satisfaction = CASE WHEN NEW.field = 'satisfaction' THEN NEW.new_value
                            ELSE satisfaction END
    WHERE complaint_id = NEW.complaint_id;
END;
