from bot.store import Store


def test_audit_entries_come_back_newest_first_with_their_outcome(tmp_path):
    store = Store(str(tmp_path / "bot.sqlite3"))
    first = store.audit(
        user_id="U1", channel_id="C1", command="status", arguments={"order_id": "ORD_1"}, decision="denied"
    )
    second = store.audit(
        user_id="U2", channel_id="C1", command="status", arguments={"order_id": "ORD_2"}, decision="allowed"
    )
    store.audit_result(second, "ok", request_id="req-9")

    entries = store.latest_audit(10)
    assert [e.id for e in entries] == [second, first]
    assert entries[0].result == "ok" and entries[0].request_id == "req-9"
    assert entries[1].decision == "denied" and entries[1].arguments == {"order_id": "ORD_1"}
    assert entries[0].at.tzinfo is not None


def test_other_areas_can_add_tables_and_entries_survive_reopening(tmp_path):
    path = str(tmp_path / "bot.sqlite3")
    store = Store(path)
    store.ensure_schema("CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, text TEXT);")
    store.execute("INSERT INTO notes (text) VALUES (?)", ("hello",))
    store.audit(user_id="U1", channel_id=None, command="status", arguments={}, decision="denied")
    store.close()

    reopened = Store(path)
    assert reopened.query("SELECT text FROM notes") == [{"text": "hello"}]
    assert len(reopened.latest_audit()) == 1
