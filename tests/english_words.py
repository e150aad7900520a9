"""Finding English on a Dutch page: the visible text of a page, checked against a curated list
of English words and phrases that Django, allauth and the admin leave behind when a string has
no Dutch translation. The list holds only words that are not also Dutch ("Filter", "Code",
"Account", "Download" and "is" are, so they are not on it).

Used by tests/test_dutch_pages.py (every page of every role) and tests/fnvregio/test_dutch_strings.py.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# English-only words, matched as whole words and case-sensitive. Function words first (never
# Dutch), then the words of Django's, allauth's and the admin's screens.
# Not listed, because they are Dutch too: "Filter", "Code", "Account", "Download", "April",
# "Past", "is", "was", "in", "Log" ("Log in" is Dutch), and "Enter" ("Enter om op te slaan").
# Nor "Group": Dutch employers are called "Interfood Group" or "VDL Group".
ENGLISH_WORDS = [
    "the",
    "The",
    "you",
    "You",
    "your",
    "Your",
    "with",
    "With",
    "this",
    "This",
    "that",
    "That",
    "and",
    "are",
    "for",
    "For",
    "not",
    "have",
    "has",
    "will",
    "must",
    "should",
    "can",
    "cannot",
    "from",
    "From",
    "please",
    "Please",
    "another",
    "which",
    "there",
    "here",
    "been",
    "into",
    "than",
    "only",
    "these",
    "those",
    "when",
    "When",
    "where",
    "Where",
    "what",
    "What",
    "Select",
    "select",
    "Search",
    "Save",
    "Delete",
    "Add",
    "Change",
    "Changes",
    "change",
    "password",
    "Password",
    "Sign",
    "Login",
    "Logout",
    "Note",
    "Home",
    "Scope",
    "History",
    "Documentation",
    "Welcome",
    "Remember",
    "Forgot",
    "Email",
    "email",
    "Yes",
    "Cancel",
    "Submit",
    "Next",
    "Previous",
    "Edit",
    "Show",
    "Hide",
    "Today",
    "Now",
    "Yesterday",
    "Tomorrow",
    "Choose",
    "Clear",
    "Remove",
    "Required",
    "Optional",
    "Action",
    "Actions",
    "Go",
    "Results",
    "results",
    "Recent",
    "None",
    "Unknown",
    "All",
    "Any",
    "Authentication",
    "Authorization",
    "Groups",
    "Users",
    "Permissions",
    "Settings",
    "Sessions",
    "Close",
    "Recovery",
    "Authenticator",
    "Verify",
    "Confirm",
    "Activate",
    "Deactivate",
    "Generate",
    "Unused",
    "Used",
    "View",
    "Clock",
    "Calendar",
    "Midnight",
    "Noon",
    "Sunday",
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "January",
    "February",
    "March",
    "June",
    "July",
    "August",
    "October",
    "Export",
    "Import",
    "Page",
    "page",
    "Active",
    "Staff",
    "Superuser",
    "Date",
    "Time",
    "Name",
    "Display",
    "Created",
    "Updated",
    "Status",
    "Type",
    "Role",
    "User",
    "Member",
    "Region",
    "Sector",
    "Employer",
    "Description",
    "Title",
    "First",
    "Last",
    "Permission",
]
ENGLISH_PHRASES = [
    "Log out",
    "Sign in",
    "Sign up",
    "Sign out",
    "Note:",
    "This field",
    "View site",
    "and continue",
    "Are you sure",
    "No,",
    "Enter a",
    "Enter the",
    "Enter times",
    "Filter by",
    "of the",
    "Select an option",
    "timezone",
    "time zone",
    "at least",
    "characters",
]

# Words on the list that are right on a Dutch page, and why.
ALLOWED = {
    "Status": "also Dutch: de status van een afspraak",
    "Type": "also Dutch: het type afspraak",
    "Sector": "also Dutch: de sector van een lid",
    "Import": "also Dutch: de ledenimport",
    "Export": "also Dutch: de export van ledengegevens",
}

_LISTED = sorted({word for word in ENGLISH_WORDS if word not in ALLOWED}, key=len, reverse=True)
# whole words, not parts of an address, a file name or a hyphenated Dutch word
_WORD = re.compile(r"(?<![\w@./-])(" + "|".join(map(re.escape, _LISTED)) + r")(?![\w@-])")
_PHRASE = re.compile("|".join(re.escape(p) for p in ENGLISH_PHRASES))


class _VisibleText(HTMLParser):
    """Text a person sees or hears: element text, plus the labels that live in attributes
    (button values, placeholders, aria-labels, alt and title texts). Never scripts or styles."""

    HIDDEN = {"script", "style", "template", "noscript", "head"}
    LABEL_ATTRIBUTES = {"placeholder", "aria-label", "alt", "title"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden_depth = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.HIDDEN:
            self._hidden_depth += 1
            return
        attributes = dict(attrs)
        for name in self.LABEL_ATTRIBUTES:
            if attributes.get(name):
                self.parts.append(attributes[name])
        if tag == "input" and attributes.get("type") in {"submit", "button", "reset"}:
            self.parts.append(attributes.get("value") or "")

    def handle_startendtag(self, tag, attrs):
        if tag not in self.HIDDEN:
            self.handle_starttag(tag, attrs)
            return

    def handle_endtag(self, tag):
        if tag in self.HIDDEN and self._hidden_depth:
            self._hidden_depth -= 1

    def handle_data(self, data):
        if not self._hidden_depth and data.strip():
            self.parts.append(data)


def visible_text(html: str) -> list[str]:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return [" ".join(part.split()) for part in parser.parts if part.strip()]


def english_in(html: str, names: tuple[str, ...] = ()) -> list[str]:
    """The pieces of visible text that hold an English word or phrase, with the word. `names`:
    people's full names in the data, taken out of the text first: they are what they are
    ("The" is a Dutch surname too, and the test data's generated names include it)."""
    hits = []
    for text in visible_text(html):
        for name in names:
            if name in text:
                text = text.replace(name, " ")
        match = _PHRASE.search(text) or _WORD.search(text)
        if match:
            hits.append(f"{match.group(0)!r} in {text[:120]!r}")
    return hits
