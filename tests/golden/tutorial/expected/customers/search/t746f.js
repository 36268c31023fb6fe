C360.tokens("746f",["tom",8,"tom@outlook.com",10]);
