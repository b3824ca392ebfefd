"""OGC SensorThings API 1.1 (R5.5): query language, entity sets, rendering and the views at /sta/v1.1/."""
