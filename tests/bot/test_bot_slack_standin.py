import httpx
import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

from bot.slack_standin import SlackStandIn


def test_web_api_calls_and_response_url_posts_are_recorded_without_tokens():
    with SlackStandIn(users={"U1": "anna"}) as standin:
        client = WebClient(token="xoxb-secret-token", base_url=standin.api_url)
        assert client.auth_test()["user_id"]
        assert client.chat_postMessage(channel="C1", text="hi", blocks=[{"type": "divider"}])["ok"]
        assert client.users_info(user="U1")["user"]["name"] == "anna"
        url = standin.new_response_url()
        WebhookClient(url).send(text="private", response_type="ephemeral")

        assert [r.name for r in standin.calls()] == ["auth.test", "chat.postMessage", "users.info"]
        post = standin.calls("chat.postMessage")[0]
        assert post.shared and post.payload["channel"] == "C1"
        (answer,) = standin.responses(url)
        assert answer.payload["text"] == "private" and not answer.shared
        assert "xoxb-secret-token" not in repr(standin.records())


def test_unauthenticated_calls_and_unknown_methods_fail_like_slack():
    with SlackStandIn() as standin:
        assert httpx.post(standin.api_url + "auth.test").json() == {"ok": False, "error": "not_authed"}
        client = WebClient(token="xoxb-t", base_url=standin.api_url)
        with pytest.raises(SlackApiError) as refused:
            client.api_call("made.up", params={})
        assert refused.value.response["error"] == "unknown_method"


def test_file_uploads_go_through_the_two_step_external_upload():
    with SlackStandIn() as standin:
        client = WebClient(token="xoxb-t", base_url=standin.api_url)
        result = client.files_upload_v2(
            channel="C1", content=b"png-bytes", filename="chart.png", title="Chart"
        )
        assert result["ok"]
        assert [r.name for r in standin.calls()][-2:] == [
            "files.getUploadURLExternal",
            "files.completeUploadExternal",
        ]
        assert next(r for r in standin.records() if r.kind == "upload").payload["bytes"] > 0
