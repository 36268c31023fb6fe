C360.searchInfo({customers:15,perFile:1000});
