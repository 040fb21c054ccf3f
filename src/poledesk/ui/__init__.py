"""The Qt window: tabs, dialogs and table models over the services' rows; never SQL."""
