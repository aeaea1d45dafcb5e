import requests

SLACK_BOT = 'xoxb-455747826541-9801383619111-kqfbnzkdvn9adjg18cm2itgr'
WEBHOOK = "https://hooks.slack.com/services/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"

def notify(text):
    requests.post(WEBHOOK, json={'text': text})
