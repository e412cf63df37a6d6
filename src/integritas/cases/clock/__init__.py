"""The legal clock (R-WBK-3, R-WBK-4): deadlines, their display and the reminders."""
