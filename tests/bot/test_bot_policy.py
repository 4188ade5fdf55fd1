from slack_sdk import WebClient

from bot.policy import Policy
from bot.settings import BotSettings
from bot.slack_standin import SlackStandIn


def policy_for(standin: SlackStandIn, **settings) -> Policy:
    client = WebClient(token="xoxb-test", base_url=standin.api_url)
    return Policy(BotSettings(_env_file=None, **settings), client)


def test_operators_are_listed_users_or_members_of_listed_groups():
    with SlackStandIn(usergroups={"S0PHARM": ["U0GROUPED"]}) as standin:
        policy = policy_for(standin, operators=("U0LISTED", "S0PHARM"))
        assert policy.may_change("U0LISTED", "C1")
        assert policy.may_change("U0GROUPED", "C1")
        denied = policy.may_change("U0OTHER", "C1")
        assert not denied and "P1_OPERATORS" in denied.reason
        # the group was read once and then cached
        assert len(standin.calls("usergroups.users.list")) == 1


def test_an_unreadable_group_grants_nothing():
    with SlackStandIn() as standin:
        policy = policy_for(standin, operators=("S0GONE",))
        assert not policy.may_change("U0ANY", "C1")


def test_reading_is_open_unless_channels_are_listed():
    with SlackStandIn() as standin:
        assert policy_for(standin).may_read("C0ANY")
        limited = policy_for(standin, read_channels=("C0PHARM",), operators=("U0OP",))
        assert limited.may_read("C0PHARM")
        refused = limited.may_read("C0RANDOM")
        assert not refused and "<#C0PHARM>" in refused.reason
        assert not limited.may_change("U0OP", "C0RANDOM")
