"""HTML reports: one self-contained page per report (inline style and script, no request of any kind).

Document text only ever reaches a page as escaped text (markup.html_text); the page's own script and style are
allowed by their hashes in a Content-Security-Policy, so that nothing else on the page could run or
load even if it got there.
"""
