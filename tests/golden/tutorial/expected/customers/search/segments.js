C360.segments(["Champions","Loyal","New","At Risk","Lost","Prospects"],"CFCCFCCCFFCCCCC");
